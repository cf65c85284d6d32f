import { html } from './lit.js';
import { HearthElement } from './element.js';
import './settings-parts.js';

/** The owner's settings: people, logins for devices and apps, API tokens, cloud link, health. */
class SettingsView extends HearthElement {
  static properties = { owner: { type: Boolean } };

  render() {
    if (!this.owner) {
      return html`<h2>Settings</h2><p class="notice" role="alert">Only an owner of this home can open the settings.
        Ask one of them if something needs changing.</p>`;
    }
    return html`<h2>Settings</h2>
      <section class="panel"><user-settings></user-settings></section>
      <section class="panel"><credential-settings></credential-settings></section>
      <section class="panel"><token-settings></token-settings></section>
      <section class="panel"><cloud-status></cloud-status></section>
      <section class="panel"><hub-health></hub-health></section>`;
  }
}
customElements.define('settings-view', SettingsView);
