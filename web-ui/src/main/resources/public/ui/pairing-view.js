import { html } from './lit.js';
import { HearthElement } from './element.js';
import { home } from './home.js';
import { get, post, del } from './api.js';

const KINDS = [
  { id: 'zigbee', name: 'Zigbee', hint: 'Lights, plugs and sensors with a Zigbee logo. Reset the device (see its manual) once pairing has started.',
    missing: 'This hub has no Zigbee adapter set up. Plug the USB adapter in and check the hub\'s settings.' },
  { id: 'serial', name: 'Serial gateway', hint: 'A MySensors gateway, a smart meter (P1 port) or another device on a serial cable.',
    missing: 'This hub has no serial gateway set up. Check the cable and the hub\'s settings.' },
];

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
    const available = {};
    await Promise.all(KINDS.map(async (k) => {
      try {
        available[k.id] = await get(`/api/v1/pairing?binding=${k.id}`);
      } catch (e) {
        available[k.id] = null;
      }
    }));
    this.available = available;
    const open = KINDS.find((k) => available[k.id]?.open) || KINDS.find((k) => available[k.id]);
    if (open) {
      this.kind = open.id;
      this.show(available[open.id]);
    }
  }

  show(status) {
    this.status = { ...status, until: Date.now() + status.secondsLeft * 1000 };
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
    const kind = KINDS.find((k) => k.id === this.kind);
    const open = this.status?.open && this.secondsLeft() > 0;
    const joined = this.status?.joined || [];
    const failed = this.status?.failed || [];
    return html`<h2>Add devices</h2>
      <fieldset class="kinds" ?disabled=${open}>
        <legend>What kind of device?</legend>
        ${KINDS.map((k) => html`<label class="kind"><input type="radio" name="kind" value=${k.id}
            .checked=${this.kind === k.id} @change=${() => { this.kind = k.id; this.status = this.available[k.id]; this.message = ''; }}>
          ${k.name}${this.available[k.id] ? '' : ' (not set up)'}</label>`)}
      </fieldset>
      <p class="hint">${this.available[this.kind] ? kind.hint : kind.missing}</p>
      ${open
        ? html`<p class="countdown" role="timer" aria-live="off">Pairing is open: <strong>${this.secondsLeft()} s</strong> left.</p>
            <progress max="120" value=${this.secondsLeft()} aria-label="Time left to pair"></progress>
            <button type="button" @click=${() => this.stop()}>Stop pairing</button>`
        : html`<button type="button" class="primary" ?disabled=${!this.available[this.kind]} @click=${() => this.start()}>
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
        ${failed.length === 0 ? '' : html`<h3 id="failed-title">Could not be added</h3>
          <ul class="failed" aria-labelledby="failed-title">${failed.map((f) => html`<li>${f.id}: ${f.reason}</li>`)}</ul>`}
        ${!open && this.status && joined.length === 0 && failed.length === 0 && this.status.secondsLeft === 0 && this.wasOpen
          ? html`<p class="hint">Nothing joined. Is the device close to the hub, and was it reset into pairing mode?</p>` : ''}
      </section>`;
  }

  async start() {
    this.message = '';
    try {
      this.show(await post('/api/v1/pairing', { binding: this.kind, seconds: 120 }));
      this.wasOpen = true;
    } catch (e) {
      this.message = e.status === 404 ? KINDS.find((k) => k.id === this.kind).missing : e.message;
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
