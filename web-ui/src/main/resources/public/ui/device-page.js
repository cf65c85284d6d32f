import { html } from './lit.js';
import { HearthElement } from './element.js';
import { home } from './home.js';
import { get, patch, del } from './api.js';
import { keysOf, label, formatValue, valueType, ago, isWritable, splitKey } from './format.js';
import './controls.js';
import './history-chart.js';

/** Everything about one device: its state with units, history charts, and (for owners) rename, room, remove. */
class DevicePage extends HearthElement {
  static properties = {
    deviceId: {}, owner: { type: Boolean },
    shadow: { state: true }, message: { state: true }, confirming: { state: true }, saved: { state: true },
  };

  constructor() {
    super();
    this.shadow = null;
    this.message = '';
    this.confirming = false;
    this.saved = '';
  }

  connectedCallback() {
    super.connectedCallback();
    this.onChange = (e) => {
      if (!e.detail || e.detail.id === this.deviceId || e.detail.device?.id === this.deviceId) {
        this.requestUpdate();
        if (this.shadow) this.loadShadow();
      }
    };
    home.addEventListener('change', this.onChange);
  }

  disconnectedCallback() {
    home.removeEventListener('change', this.onChange);
    super.disconnectedCallback();
  }

  render() {
    const d = home.devices.get(this.deviceId);
    if (!d) {
      return html`<p><a href="#/">← All devices</a></p><p class="notice" role="status">
        ${home.devices.size === 0 ? 'Loading…' : 'This device is not in your home any more.'}</p>`;
    }
    const keys = keysOf(d);
    const charted = keys.filter((k) => ['number', 'integer', 'boolean'].includes(valueType(d, k)));
    return html`<p><a href="#/">← All devices</a></p>
      <h2>${d.name}</h2>
      <p class="meta">${d.room || 'Not in a room'} · ${d.binding || 'MQTT'} ·
        ${d.online === false ? html`<strong>offline</strong>, last seen ${ago(d.lastSeen)}` : `seen ${ago(d.lastSeen)}`}</p>
      <section aria-labelledby="state-title">
        <h3 id="state-title">State</h3>
        <dl class="state-table">${keys.map((k) => html`<div><dt>${label(k)}</dt><dd>${formatValue(d, k, d.reported?.[k])}
          ${splitKey(k)[0] === 'on' && isWritable(d, k) ? html`<power-switch .device=${d} key=${k}></power-switch>` : ''}
          ${['brightness', 'colorTemp'].includes(splitKey(k)[0]) && isWritable(d, k)
            ? html`<level-slider .device=${d} key=${k}></level-slider>` : ''}</dd></div>`)}</dl>
      </section>
      <section aria-labelledby="history-title">
        <h3 id="history-title">History</h3>
        ${charted.length === 0 ? html`<p>This device reports nothing that can be charted.</p>` : ''}
        <div class="charts">${charted.map((k) => html`<history-chart .device=${d} key=${k}></history-chart>`)}</div>
      </section>
      ${this.owner ? this.renderSettings(d) : ''}
      <section aria-labelledby="raw-title">
        <h3 id="raw-title">Technical details</h3>
        <details @toggle=${(e) => e.target.open && this.loadShadow()}>
          <summary>Raw shadow (desired, reported, delta, version)</summary>
          <pre class="raw">${this.shadow ? JSON.stringify(this.shadow, null, 2) : 'Loading…'}</pre>
        </details>
      </section>`;
  }

  renderSettings(d) {
    return html`<section aria-labelledby="edit-title">
      <h3 id="edit-title">Name and room</h3>
      <form class="inline-form" @submit=${(e) => this.save(e)}>
        <label>Name <input name="name" .value=${d.name} maxlength="100" required></label>
        <label>Room <input name="room" .value=${d.room || ''} maxlength="100" list="rooms"></label>
        <datalist id="rooms">${[...new Set([...home.devices.values()].map((x) => x.room).filter(Boolean))]
          .map((r) => html`<option value=${r}></option>`)}</datalist>
        <button type="submit">Save</button>
        <span role="status">${this.saved}</span>
      </form>
      ${this.message ? html`<p class="error" role="alert">${this.message}</p>` : ''}
      ${this.confirming
        ? html`<p>Remove ${d.name} from your home? It will have to be paired again to come back.</p>
            <button type="button" class="danger" @click=${() => this.remove(d)}>Yes, remove ${d.name}</button>
            <button type="button" @click=${() => { this.confirming = false; }}>Keep it</button>`
        : html`<button type="button" class="danger" @click=${() => { this.confirming = true; }}>Remove device…</button>`}
    </section>`;
  }

  async save(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    this.message = '';
    this.saved = '';
    try {
      const device = await patch(`/api/v1/devices/${encodeURIComponent(this.deviceId)}`,
        { name: form.get('name'), room: form.get('room') });
      home.devices.set(device.id, device);
      home.changed();
      this.saved = 'Saved.';
    } catch (e) {
      this.message = e.message;
    }
  }

  async remove(d) {
    try {
      await del(`/api/v1/devices/${encodeURIComponent(d.id)}`);
      home.devices.delete(d.id);
      home.changed();
      window.location.hash = '#/';
    } catch (e) {
      this.message = e.message;
      this.confirming = false;
    }
  }

  async loadShadow() {
    try {
      this.shadow = await get(`/api/v1/things/${encodeURIComponent(this.deviceId)}/shadow`);
    } catch (e) {
      this.shadow = { note: e.message };
    }
  }
}
customElements.define('device-page', DevicePage);
