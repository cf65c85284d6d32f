import { html } from './lit.js';
import { HearthElement } from './element.js';
import { post } from './api.js';

/**
 * The door: on a new hub it creates the owner's account (password typed twice), afterwards it logs in.
 * Fires 'logged-in' with {username, role}.
 */
class LoginView extends HearthElement {
  static properties = { onboarding: { type: Boolean }, message: { state: true }, busy: { state: true } };

  constructor() {
    super();
    this.message = '';
    this.busy = false;
  }

  render() {
    const first = this.onboarding;
    return html`<form class="login" @submit=${(e) => this.submit(e)} novalidate>
      <h2>${first ? 'Welcome to Hearth' : 'Log in'}</h2>
      ${first ? html`<p>Create the owner's account for this home. You can add the rest of the household afterwards.</p>` : ''}
      <label for="username">Name</label>
      <input id="username" name="username" autocomplete="username" required autocapitalize="none">
      <label for="password">Password</label>
      <input id="password" name="password" type="password" required
        autocomplete=${first ? 'new-password' : 'current-password'} minlength=${first ? 8 : 1}>
      ${first ? html`<label for="password2">Password again</label>
        <input id="password2" name="password2" type="password" required autocomplete="new-password">` : ''}
      ${this.message ? html`<p class="error" role="alert">${this.message}</p>` : ''}
      <button type="submit" class="primary" ?disabled=${this.busy}>${first ? 'Create account' : 'Log in'}</button>
    </form>`;
  }

  async submit(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const username = String(form.get('username') || '').trim();
    const password = String(form.get('password') || '');
    if (!username || !password) {
      this.message = 'Type your name and password.';
      return;
    }
    if (this.onboarding) {
      if (password.length < 8) {
        this.message = 'Choose a password of at least 8 characters.';
        return;
      }
      if (password !== form.get('password2')) {
        this.message = 'The two passwords are different. Type the same password twice.';
        return;
      }
    }
    this.busy = true;
    this.message = '';
    try {
      const me = await post(this.onboarding ? '/api/v1/onboarding' : '/api/v1/session', { username, password });
      this.dispatchEvent(new CustomEvent('logged-in', { detail: me, bubbles: true }));
    } catch (e) {
      this.message = e.message;
    } finally {
      this.busy = false;
    }
  }
}
customElements.define('login-view', LoginView);
