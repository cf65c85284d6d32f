import { html } from './lit.js';
import { HearthElement } from './element.js';
import { get } from './api.js';
import { label, unitOf } from './format.js';

const RANGES = [['1 h', 3600], ['24 h', 86400], ['7 d', 604800]];
let uplotLoaded;

/** uPlot and its stylesheet, fetched the first time a chart is shown so the dashboard stays light. */
function loadUplot() {
  if (!uplotLoaded) {
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = '/vendor/uplot/dist/uPlot.min.css';
    document.head.append(css);
    uplotLoaded = import('/vendor/uplot/dist/uPlot.esm.js').then((m) => m.default);
  }
  return uplotLoaded;
}

/** The history of one numeric or on/off value of a device, over a chosen time range. */
class HistoryChart extends HearthElement {
  static properties = {
    device: { attribute: false }, key: {}, range: { state: true }, message: { state: true },
  };

  constructor() {
    super();
    this.range = 86400;
    this.message = '';
    this.plot = null;
  }

  render() {
    const name = `${label(this.key)} of ${this.device.name}`;
    return html`<figure class="chart" data-key=${this.key}>
      <figcaption>${label(this.key)}
        <span class="ranges" role="group" aria-label=${`Time range for ${name}`}>
          ${RANGES.map(([words, seconds]) => html`<button type="button" aria-pressed=${this.range === seconds ? 'true' : 'false'}
            @click=${() => { this.range = seconds; this.draw(); }}>${words}</button>`)}
        </span>
      </figcaption>
      <div class="plot" role="img" aria-label=${`Chart of ${name}`}></div>
      ${this.message ? html`<p class="chart-note">${this.message}</p>` : ''}
    </figure>`;
  }

  firstUpdated() {
    this.draw();
  }

  disconnectedCallback() {
    if (this.plot) this.plot.destroy();
    this.plot = null;
    super.disconnectedCallback();
  }

  async draw() {
    const since = new Date(Date.now() - this.range * 1000).toISOString();
    let points;
    let UPlot;
    try {
      [points, UPlot] = await Promise.all([
        get(`/api/v1/devices/${encodeURIComponent(this.device.id)}/history?property=${encodeURIComponent(this.key)}&since=${since}`),
        loadUplot(),
      ]);
    } catch (e) {
      this.message = e.message;
      return;
    }
    this.message = points.length === 0 ? 'Nothing recorded in this time yet.' : '';
    const times = points.map((p) => Date.parse(p.t) / 1000);
    const values = points.map((p) => (typeof p.v === 'boolean' ? (p.v ? 1 : 0) : p.v));
    const boolean = points.some((p) => typeof p.v === 'boolean');
    const now = Date.now() / 1000;
    // A last point at "now" carries the latest value to the right edge.
    if (points.length > 0) {
      times.push(now);
      values.push(values[values.length - 1]);
    }
    const target = this.querySelector('.plot');
    if (this.plot) this.plot.destroy();
    const styles = getComputedStyle(this);
    const unit = unitOf(this.device, this.key);
    this.plot = new UPlot({
      width: Math.max(260, target.clientWidth || 600),
      height: 200,
      scales: { x: { time: true, min: now - this.range, max: now }, y: boolean ? { range: [0, 1] } : {} },
      axes: [
        { stroke: styles.color, grid: { stroke: 'rgba(128,128,128,0.2)' } },
        { stroke: styles.color, size: 72, grid: { stroke: 'rgba(128,128,128,0.2)' }, values: (u, ticks) => ticks.map((t) => `${t} ${unit}`.trim()) },
      ],
      series: [{}, {
        label: label(this.key), stroke: styles.getPropertyValue('--accent').trim() || '#c2410c', width: 2,
        paths: boolean ? UPlot.paths.stepped({ align: 1 }) : undefined,
      }],
      legend: { show: false },
    }, [times, values], target);
  }
}
customElements.define('history-chart', HistoryChart);
