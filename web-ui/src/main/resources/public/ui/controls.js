import { html } from './lit.js';
import { HearthElement } from './element.js';
import { post } from './api.js';
import { label, capability, splitKey } from './format.js';

/** Asks the device for a new value of one key through its shadow (desired state). */
export async function setDesired(device, key, value) {
  return post(`/api/v1/things/${encodeURIComponent(device.id)}/shadow`, { state: { desired: { [key]: value } } });
}

/**
 * An on/off switch for one key of a device. It shows what the device reported (it follows the
 * device, not the tap) and is marked busy until the device confirms.
 */
class PowerSwitch extends HearthElement {
  static properties = { device: { attribute: false }, key: {}, error: { state: true } };

  constructor() {
    super();
    this.key = 'on';
    this.error = '';
  }

  render() {
    const device = this.device;
    const on = device.reported?.[this.key] === true;
    const asked = device.desired?.[this.key];
    const pending = asked !== undefined && asked !== null && asked !== on;
    const [, part] = splitKey(this.key);
    const name = part > 1 ? `${device.name} ${label(this.key)}` : device.name;
    return html`<button type="button" class="switch" role="switch" aria-checked=${on ? 'true' : 'false'}
        aria-label=${name} aria-busy=${pending ? 'true' : 'false'} ?disabled=${device.online === false}
        @click=${() => this.flip(!on)}><span class="knob" aria-hidden="true"></span>
        <span class="switch-text" aria-hidden="true">${pending ? '…' : on ? 'On' : 'Off'}</span></button>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}`;
  }

  async flip(value) {
    this.error = '';
    try {
      await setDesired(this.device, this.key, value);
    } catch (e) {
      this.error = e.message;
    }
  }
}
customElements.define('power-switch', PowerSwitch);

/** A slider (brightness, colour temperature) that sends the value when the user lets go. */
class LevelSlider extends HearthElement {
  static properties = { device: { attribute: false }, key: {}, error: { state: true } };

  render() {
    const device = this.device;
    const cap = capability(device, this.key);
    const value = device.desired?.[this.key] ?? device.reported?.[this.key] ?? cap.min ?? 0;
    const id = `${device.id}-${this.key}`;
    return html`<label for=${id}>${label(this.key)}</label>
      <input id=${id} type="range" min=${cap.min ?? 0} max=${cap.max ?? 100} step="1" .value=${String(value)}
        aria-label=${`${label(this.key)} of ${device.name}`} ?disabled=${device.online === false}
        @change=${(e) => this.send(Number(e.target.value))}>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}`;
  }

  async send(value) {
    this.error = '';
    try {
      await setDesired(this.device, this.key, value);
    } catch (e) {
      this.error = e.message;
    }
  }
}
customElements.define('level-slider', LevelSlider);
