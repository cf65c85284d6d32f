import { html } from './lit.js';
import { HearthElement } from './element.js';
import { keysOf, label, formatValue, isWritable, valueType, ago, splitKey } from './format.js';
import './controls.js';

const SLIDERS = ['brightness', 'colorTemp'];
const HIDDEN_ON_CARD = ['linkQuality', 'energy', 'voltage', 'current'];

/** One device on the dashboard: its name, live state, and the controls it has. */
class DeviceCard extends HearthElement {
  static properties = { device: { attribute: false } };

  render() {
    const d = this.device;
    const keys = keysOf(d);
    const switches = keys.filter((k) => splitKey(k)[0] === 'on' && isWritable(d, k));
    const sliders = keys.filter((k) => SLIDERS.includes(splitKey(k)[0]) && isWritable(d, k));
    const readings = keys.filter((k) => !switches.includes(k) && !sliders.includes(k)
      && !HIDDEN_ON_CARD.includes(splitKey(k)[0]) && d.reported?.[k] !== undefined);
    const offline = d.online === false;
    return html`<article class="card ${offline ? 'offline' : ''}" aria-labelledby=${`card-${d.id}`}>
      <header>
        <h3 id=${`card-${d.id}`}><a href=${`#/device/${encodeURIComponent(d.id)}`}>${d.name}</a></h3>
        ${switches.map((k) => html`<power-switch .device=${d} key=${k}></power-switch>`)}
      </header>
      ${offline ? html`<p class="offline-note">Offline · last seen ${ago(d.lastSeen)}</p>` : ''}
      <dl class="readings">
        ${readings.map((k) => html`<div class=${`reading ${valueType(d, k)} ${k}-${String(d.reported[k])}`}>
          <dt>${label(k)}</dt><dd>${formatValue(d, k, d.reported[k])}</dd></div>`)}
      </dl>
      ${sliders.map((k) => html`<level-slider .device=${d} key=${k}></level-slider>`)}
    </article>`;
  }
}
customElements.define('device-card', DeviceCard);
