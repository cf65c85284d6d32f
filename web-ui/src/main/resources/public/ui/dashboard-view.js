import { html } from './lit.js';
import { HearthElement } from './element.js';
import { home } from './home.js';
import { byRoom } from './format.js';
import './device-card.js';

/** The home at a glance: every device, grouped by room, live. */
class DashboardView extends HearthElement {
  static properties = { owner: { type: Boolean } };

  connectedCallback() {
    super.connectedCallback();
    this.onChange = () => this.requestUpdate();
    home.addEventListener('change', this.onChange);
  }

  disconnectedCallback() {
    home.removeEventListener('change', this.onChange);
    super.disconnectedCallback();
  }

  render() {
    const devices = [...home.devices.values()];
    return html`<h2>Your home</h2>
      ${home.connected ? '' : html`<p class="notice" role="status">Reconnecting to the hub… what you see may be out of date.</p>`}
      ${devices.length === 0 ? html`<p class="empty">No devices yet.
          ${this.owner ? html`<a href="#/pairing">Add a device</a> to get started.` : 'Ask an owner of this home to add some.'}</p>` : ''}
      ${byRoom(devices).map(([room, list]) => html`<section class="room" aria-label=${room}>
          <h3 class="room-name">${room}</h3>
          <div class="cards">${list.map((d) => html`<device-card .device=${d}></device-card>`)}</div>
        </section>`)}`;
  }
}
customElements.define('dashboard-view', DashboardView);
