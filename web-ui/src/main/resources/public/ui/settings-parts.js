import { html } from './lit.js';
import { HearthElement } from './element.js';
import { get, post, patch, del } from './api.js';
import { ago } from './format.js';

/** Shared by the settings sections: a list loaded from the API, an error line, a reload. */
class SettingsSection extends HearthElement {
  static properties = { items: { state: true }, message: { state: true }, secret: { state: true } };

  constructor() {
    super();
    this.items = null;
    this.message = '';
    this.secret = null;
  }

  connectedCallback() {
    super.connectedCallback();
    this.reload();
    // Sections that show a live condition (the cloud link, health) look again while they are shown.
    if (this.refreshSeconds) this.refresher = setInterval(() => this.reload(), this.refreshSeconds * 1000);
  }

  disconnectedCallback() {
    clearInterval(this.refresher);
    super.disconnectedCallback();
  }

  async reload() {
    try {
      this.items = await get(this.path);
    } catch (e) {
      this.message = e.message;
      this.items = [];
    }
  }

  async act(action) {
    this.message = '';
    try {
      await action();
      await this.reload();
      return true;
    } catch (e) {
      this.message = e.message;
      return false;
    }
  }

  error() {
    return this.message ? html`<p class="error" role="alert">${this.message}</p>` : '';
  }
}

function randomSecret() {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

class UserSettings extends SettingsSection {
  static properties = { ...SettingsSection.properties, removing: { state: true } };

  constructor() {
    super();
    this.path = '/api/v1/users';
    this.removing = null;
  }

  render() {
    return html`<h3 id="users-title">People</h3>
      <p class="hint">Owners change settings, add devices and manage people; members use the devices.</p>
      <ul class="rows people">${(this.items || []).map((u) => html`<li data-user=${u.username}><span>${u.username}</span>
        <select name="role" aria-label=${`Role of ${u.username}`} .value=${u.role} @change=${(e) => this.changeRole(u, e.target)}>
          <option value="owner" ?selected=${u.role === 'owner'}>Owner</option>
          <option value="member" ?selected=${u.role === 'member'}>Member</option>
        </select>
        ${this.removing === u.username
          ? html`<span class="confirm">Remove ${u.username}? They are logged out everywhere at once.
              <button type="button" class="danger" @click=${() => this.remove(u)}>Yes, remove ${u.username}</button>
              <button type="button" @click=${() => { this.removing = null; }}>Keep</button></span>`
          : html`<button type="button" @click=${() => { this.removing = u.username; this.message = ''; }}
              aria-label=${`Remove ${u.username}`}>Remove</button>`}</li>`)}</ul>
      ${this.error()}
      <form class="inline-form" @submit=${(e) => this.add(e)}>
        <label>Name <input name="username" required autocomplete="off"></label>
        <label>Password <input name="password" type="password" minlength="8" required autocomplete="new-password"></label>
        <label>Role <select name="role"><option value="member">Member (uses devices)</option>
          <option value="owner">Owner (also changes settings)</option></select></label>
        <button type="submit">Add person</button>
      </form>`;
  }

  async changeRole(user, select) {
    const done = await this.act(() => patch(`/api/v1/users/${encodeURIComponent(user.username)}`, { role: select.value }));
    // A refused change (the last owner, say) puts the list back as the hub has it.
    if (!done) select.value = user.role;
  }

  async remove(user) {
    this.removing = null;
    await this.act(() => del(`/api/v1/users/${encodeURIComponent(user.username)}`));
  }

  async add(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const body = { username: form.get('username'), password: form.get('password'), role: form.get('role') };
    if (await this.act(() => post('/api/v1/users', body))) event.target.reset();
  }
}
customElements.define('user-settings', UserSettings);

class CredentialSettings extends SettingsSection {
  static properties = { ...SettingsSection.properties, certificate: { state: true } };

  constructor() {
    super();
    this.path = '/api/v1/credentials';
    this.certificate = null;
  }

  render() {
    return html`<h3>Device and app logins (MQTT)</h3>
      <p class="hint">For devices and apps that talk to the hub's MQTT broker themselves.</p>
      <ul class="rows">${(this.items || []).map((c) => html`<li data-credential=${c.thing}><span>${c.thing}</span>
        <span class="tag">${c.allow.length ? c.allow.join(', ') : 'no topics'}</span>
        ${c.login === 'certificate' ? html`<span class="tag">certificate only</span>` : ''}
        <button type="button" @click=${() => this.act(() => del(`/api/v1/credentials/${encodeURIComponent(c.thing)}`))}
          aria-label=${`Revoke ${c.thing}`}>Revoke</button></li>`)}</ul>
      ${this.secret ? html`<p class="secret" role="status">Password for <strong>${this.secret.name}</strong>:
        <code>${this.secret.value}</code> — copy it now; it is not shown again.</p>` : ''}
      ${this.certificate ? html`<p class="secret" role="status"><strong>${this.certificate}</strong> logs in on the
        TLS port with a client certificate whose CN is <code>${this.certificate}</code>, signed by the authority in
        <code>tls/client-ca.pem</code> of the hub's data folder. No password opens it.</p>` : ''}
      <form class="inline-form" @submit=${(e) => this.add(e)}>
        <label>Device or app name <input name="thing" required pattern="[A-Za-z0-9:_-]+" autocomplete="off"></label>
        <label>Allowed topics <input name="allow" placeholder="hearth/devices/NAME/#"></label>
        <label>Logs in with <select name="login"><option value="password">a password made here</option>
          <option value="certificate">only its TLS client certificate</option></select></label>
        <button type="submit">Create login</button>
      </form>${this.error()}`;
  }

  async add(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const thing = form.get('thing');
    const typed = String(form.get('allow') || '').split(',').map((s) => s.trim()).filter(Boolean);
    const allow = typed.length ? typed : [`hearth/devices/${thing}/#`, `$aws/things/${thing}/#`];
    if (form.get('login') === 'certificate') {
      if (await this.act(() => post('/api/v1/credentials', { thing, certificateOnly: true, allow }))) {
        this.secret = null;
        this.certificate = thing;
        event.target.reset();
      }
      return;
    }
    const password = randomSecret();
    if (await this.act(() => post('/api/v1/credentials', { thing, password, allow }))) {
      this.certificate = null;
      this.secret = { name: thing, value: password };
      event.target.reset();
    }
  }
}
customElements.define('credential-settings', CredentialSettings);

class TokenSettings extends SettingsSection {
  constructor() {
    super();
    this.path = '/api/v1/tokens';
  }

  render() {
    return html`<h3>API tokens</h3>
      <p class="hint">For apps and scripts that use the hub's REST API.</p>
      <ul class="rows">${(this.items || []).map((t) => html`<li><span>${t.label || t.id}</span>
        <span class="tag">created ${ago(t.created)}</span>
        <button type="button" @click=${() => this.act(() => del(`/api/v1/tokens/${encodeURIComponent(t.id)}`))}
          aria-label=${`Revoke token ${t.label || t.id}`}>Revoke</button></li>`)}</ul>
      ${this.secret ? html`<p class="secret" role="status">New token <strong>${this.secret.name}</strong>:
        <code>${this.secret.value}</code> — copy it now; it is not shown again.</p>` : ''}
      <form class="inline-form" @submit=${(e) => this.add(e)}>
        <label>What is it for? <input name="label" required autocomplete="off"></label>
        <button type="submit">Create token</button>
      </form>${this.error()}`;
  }

  async add(event) {
    event.preventDefault();
    const label = new FormData(event.target).get('label');
    let issued;
    if (await this.act(async () => { issued = await post('/api/v1/tokens', { label }); })) {
      this.secret = { name: label, value: issued.token };
      event.target.reset();
    }
  }
}
customElements.define('token-settings', TokenSettings);

class CloudStatus extends SettingsSection {
  constructor() {
    super();
    this.path = '/api/v1/cloud';
    this.refreshSeconds = 5;
  }

  async reload() {
    try {
      this.items = await get(this.path);
    } catch (e) {
      // A hub without the cloud link has no such route: that simply means it is not set up.
      this.items = e.status === 404 ? { enabled: false } : null;
      if (e.status !== 404) this.message = e.message;
    }
  }

  render() {
    const c = this.items;
    return html`<h3>Cloud link</h3>
      ${!c ? html`<p>Checking…</p>${this.error()}` : !c.enabled
        ? html`<p>Not set up. Your home works fully without it; the cloud link only adds access from outside.</p>`
        : html`<dl class="facts">
            <div><dt>Cloud</dt><dd>${c.upstream || 'not named'}${c.thingName ? html`, as <strong>${c.thingName}</strong>` : ''}
              ${c.mode ? html`<span class="tag">(${c.mode === 'aws-shadow' ? 'shadow sync' : 'broker'})</span>` : ''}</dd></div>
            <div><dt>Connected</dt><dd>${c.connected ? `yes, since ${ago(c.since)}`
              : c.since ? `no, since ${ago(c.since)}` : 'not yet'}</dd></div>
            <div><dt>Changes waiting to be sent</dt><dd>${c.queued ?? 0}</dd></div>
            <div><dt>Last problem</dt><dd>${c.lastError || 'none'}</dd></div>
          </dl>`}`;
  }
}
customElements.define('cloud-status', CloudStatus);

const HEALTH_WORDS = { UP: 'working', STARTING: 'starting', DEGRADED: 'working, with a problem',
  DISABLED: 'turned off', STOPPING: 'stopping', DOWN: 'not working' };

class HubHealth extends SettingsSection {
  constructor() {
    super();
    this.path = '/api/v1/health';
    this.refreshSeconds = 5;
  }

  async reload() {
    // Health answers 503 with a body while the hub is not ready; show that body too.
    try {
      const response = await fetch(this.path, { cache: 'no-store' });
      this.items = await response.json();
    } catch (e) {
      this.message = 'The hub cannot be reached. Is it switched on and on the network?';
    }
  }

  render() {
    const h = this.items;
    if (!h) return html`<h3>System health</h3><p>Checking…</p>${this.error()}`;
    return html`<h3>System health</h3>
      <p>The hub is <strong class=${`health ${h.status}`}>${HEALTH_WORDS[h.status] || h.status}</strong>
        (version ${h.version}, running for ${Math.round((h.uptimeSeconds || 0) / 60)} min).</p>
      <table class="health-table"><thead><tr><th scope="col">Part</th><th scope="col">Status</th><th scope="col">Notes</th></tr></thead>
        <tbody>${Object.entries(h.components || {}).map(([name, part]) => html`<tr><td>${name}</td>
          <td class=${`health ${part.status}`}>${HEALTH_WORDS[part.status] || part.status}</td><td>${part.message || ''}</td></tr>`)}</tbody>
      </table>`;
  }
}
customElements.define('hub-health', HubHealth);
