import { html } from './lit.js';
import { HearthElement } from './element.js';
import { home } from './home.js';
import { get, post, del } from './api.js';

// How each binding reads on the page; the list of bindings itself comes from the hub (GET /api/v1/bindings).
const KINDS = {
  zigbee: { name: 'Zigbee', hint: 'Lights, plugs and sensors with a Zigbee logo. Reset the device (see its manual) once pairing has started.' },
  serial: { name: 'Serial gateway', hint: 'A MySensors node: switch it on (or reset it) once pairing has started, and it presents itself through the gateway.' },
};
const PROTOCOLS = { mysensors: 'MySensors gateway', dsmr: 'smart meter (P1)', lines: 'serial device' };

function kindName(id) {
  return KINDS[id]?.name || id;
}

/** Devices that joined but cannot be used, each {id, reason}. */
function failuresOf(status) {
  return status?.failed || [];
}

/** Adding devices: choose the kind, open a pairing window, watch the countdown and the devices that join. */
class PairingView extends HearthElement {
  static properties = {
    available: { state: true }, kind: { state: true }, status: { state: true }, message: { state: true },
  };

  constructor() {
    super();
    this.available = null;
    this.kind = 'zigbee';
    this.status = null;
    this.message = '';
  }

  connectedCallback() {
    super.connectedCallback();
    this.onChange = (e) => {
      if (e.detail?.type === 'pairing' && e.detail.binding === this.kind) this.show(e.detail);
      else this.requestUpdate();
    };
    home.addEventListener('change', this.onChange);
    this.ticker = setInterval(() => this.tick(), 1000);
    this.probe();
  }

  disconnectedCallback() {
    home.removeEventListener('change', this.onChange);
    clearInterval(this.ticker);
    super.disconnectedCallback();
  }

  async probe() {
    try {
      // Zigbee first: it is what most homes pair with.
      this.available = (await get('/api/v1/bindings'))
        .sort((a, b) => (a.id === 'zigbee' ? -1 : b.id === 'zigbee' ? 1 : a.id.localeCompare(b.id)));
    } catch (e) {
      this.available = [];
      this.message = e.message;
      return;
    }
    const chosen = this.available.find((b) => b.pairing?.open) || this.available.find((b) => b.id === 'zigbee' && b.canPair)
      || this.available.find((b) => b.canPair) || this.available[0];
    if (chosen) {
      this.kind = chosen.id;
      this.show(chosen.pairing);
    }
  }

  binding(id = this.kind) {
    return (this.available || []).find((b) => b.id === id);
  }

  show(status) {
    this.status = status ? { ...status, until: Date.now() + (status.secondsLeft || 0) * 1000 } : null;
  }

  tick() {
    if (this.status?.open) this.requestUpdate();
  }

  secondsLeft() {
    if (!this.status?.open) return 0;
    return Math.max(0, Math.ceil((this.status.until - Date.now()) / 1000));
  }

  render() {
    if (!this.available) return html`<h2>Add devices</h2><p role="status">Looking at what this hub can pair…</p>`;
    if (this.available.length === 0) {
      return html`<h2>Add devices</h2><p class="notice" role="alert">${this.message
        || 'This hub has nothing set up that pairs devices. Check the hub\'s configuration (zigbee, serial).'}</p>`;
    }
    const binding = this.binding();
    const open = this.status?.open && this.secondsLeft() > 0;
    const joined = this.status?.joined || [];
    const failures = failuresOf(this.status);
    return html`<h2>Add devices</h2>
      <fieldset class="kinds" ?disabled=${open}>
        <legend>What kind of device?</legend>
        ${this.available.map((b) => html`<label class="kind"><input type="radio" name="kind" value=${b.id}
            .checked=${this.kind === b.id} @change=${() => this.choose(b)}>
          ${kindName(b.id)}${b.canPair ? '' : ' (not available)'}</label>`)}
      </fieldset>
      ${binding?.gateways?.length ? html`<ul class="gateways">${binding.gateways.map((g) => html`<li>
          ${PROTOCOLS[g.protocol] || g.protocol} <strong>${g.id}</strong> on ${g.port}${g.pairs ? '' : ' (adds its devices by itself)'}</li>`)}
        </ul>` : ''}
      ${binding?.canPair ? html`<p class="hint">${KINDS[this.kind]?.hint || ''}</p>`
        : html`<p class="notice" role="status">${binding?.whyNot || 'This cannot pair devices right now.'}</p>`}
      ${open
        ? html`<p class="countdown" role="timer" aria-live="off">Pairing is open: <strong>${this.secondsLeft()} s</strong> left.</p>
            <progress max=${this.window || 120} value=${this.secondsLeft()} aria-label="Time left to pair"></progress>
            <button type="button" @click=${() => this.stop()}>Stop pairing</button>`
        : html`<button type="button" class="primary" ?disabled=${!binding?.canPair} @click=${() => this.start()}>
            Start pairing</button>`}
      ${this.message ? html`<p class="error" role="alert">${this.message}</p>` : ''}
      <section aria-labelledby="joined-title" aria-live="polite">
        <h3 id="joined-title">Joined ${open ? 'so far' : 'last time'}</h3>
        ${joined.length === 0
          ? html`<p>${open ? 'Waiting for devices… put yours in pairing mode now.' : 'None.'}</p>`
          : html`<ul class="joined">${joined.map((id) => {
              const device = home.devices.get(id);
              return html`<li>${device ? html`<a href=${`#/device/${encodeURIComponent(id)}`}>${device.name}</a> — ready`
                : html`${id} — finding out what it is…`}</li>`;
            })}</ul>`}
        ${failures.length ? html`<ul class="failures">${failures.map((f) => html`<li>
            ${f.id ? html`<strong>${home.devices.get(f.id)?.name || f.id}</strong> joined but cannot be used: ` : ''}${f.reason}</li>`)}
          </ul>` : ''}
        ${!open && this.status && joined.length === 0 && failures.length === 0 && this.wasOpen
          ? html`<p class="hint">Nothing joined. Is the device close to the hub, and was it reset into pairing mode?</p>` : ''}
      </section>`;
  }

  choose(binding) {
    this.kind = binding.id;
    this.show(binding.pairing);
    this.message = '';
  }

  async start() {
    this.message = '';
    try {
      this.window = 120;
      this.show(await post('/api/v1/pairing', { binding: this.kind, seconds: this.window }));
      this.wasOpen = true;
    } catch (e) {
      this.message = e.message;
      this.probe();
    }
  }

  async stop() {
    try {
      this.show(await del(`/api/v1/pairing?binding=${this.kind}`));
    } catch (e) {
      this.message = e.message;
    }
  }
}
customElements.define('pairing-view', PairingView);
