import { html } from './lit.js';
import { HearthElement } from './element.js';
import { get, del } from './api.js';
import { home } from './home.js';
import './login-view.js';
import './dashboard-view.js';

// Pages other than the dashboard are fetched when first opened, to keep the first load small.
const PAGES = {
  device: () => import('./device-page.js'),
  pairing: () => import('./pairing-view.js'),
  settings: () => import('./settings-view.js'),
};

/** The page's frame: who is logged in, the navigation, and which view the address (#/…) shows. */
class HearthApp extends HearthElement {
  static properties = { me: { state: true }, onboarding: { state: true }, route: { state: true }, problem: { state: true } };

  constructor() {
    super();
    this.me = undefined;
    this.route = this.parse();
    this.problem = '';
  }

  createRenderRoot() {
    // The page's "Loading…" placeholder stays only until the app draws itself.
    this.replaceChildren();
    return this;
  }

  connectedCallback() {
    super.connectedCallback();
    window.addEventListener('hashchange', () => this.navigate());
    window.addEventListener('hearth-logged-out', () => this.loggedOut());
    this.addEventListener('logged-in', (e) => this.loggedIn(e.detail));
    this.whoAmI();
  }

  parse() {
    const [page = '', ...rest] = window.location.hash.replace(/^#\/?/, '').split('/');
    return { page: page || 'home', arg: decodeURIComponent(rest.join('/')) };
  }

  async navigate() {
    this.route = this.parse();
    const load = PAGES[this.route.page];
    if (load) await load();
    this.requestUpdate();
    // Moves keyboard and screen-reader focus to the new page's heading.
    await this.updateComplete;
    requestAnimationFrame(() => this.querySelector('main')?.focus({ preventScroll: true }));
  }

  async whoAmI() {
    try {
      this.me = await get('/api/v1/session');
      home.start();
      await this.navigate();
    } catch (e) {
      if (e.status !== 401) {
        this.problem = e.message;
        return;
      }
      try {
        this.onboarding = (await get('/api/v1/onboarding')).needed;
      } catch (e2) {
        this.problem = e2.message;
      }
      this.me = null;
    }
  }

  loggedIn(me) {
    this.me = me;
    this.onboarding = false;
    home.start();
    if (!window.location.hash || window.location.hash === '#/login') window.location.hash = '#/';
    this.navigate();
  }

  loggedOut() {
    home.stop();
    this.me = null;
    this.onboarding = false;
  }

  async logout() {
    try {
      await del('/api/v1/session');
    } catch (e) {
      // Logged out anyway once the cookies are gone or the session ended.
    }
    this.loggedOut();
    window.location.hash = '#/';
  }

  render() {
    if (this.problem) return html`<main><p class="error" role="alert">${this.problem}</p>
      <button type="button" @click=${() => { this.problem = ''; this.whoAmI(); }}>Try again</button></main>`;
    if (this.me === undefined) return html`<p class="loading" role="status">Loading your home…</p>`;
    if (this.me === null) return html`<main class="door"><h1 class="brand">Hearth</h1>
      <login-view ?onboarding=${this.onboarding}></login-view></main>`;
    const owner = this.me.role === 'owner';
    const at = this.route.page;
    const link = (href, page, words) => html`<a href=${href} aria-current=${at === page ? 'page' : 'false'}>${words}</a>`;
    return html`<header class="top">
        <h1 class="brand"><a href="#/">Hearth</a></h1>
        <nav aria-label="Main">
          ${link('#/', 'home', 'Devices')}
          ${owner ? link('#/pairing', 'pairing', 'Add devices') : ''}
          ${owner ? link('#/settings', 'settings', 'Settings') : ''}
        </nav>
        <span class="who">${this.me.username}</span>
        <button type="button" class="logout" @click=${() => this.logout()}>Log out</button>
      </header>
      <main tabindex="-1"></main>`;
  }

  updated() {
    this.mountPage();
  }

  /**
   * Puts the current page into <main> by hand rather than through a template binding: page elements
   * render into their own light DOM, and swapping them through one binding left the old page behind.
   */
  mountPage() {
    const main = this.querySelector('main');
    if (!main || !this.me) return;
    const owner = this.me.role === 'owner';
    const key = `${this.route.page}/${this.route.arg}/${owner}`;
    if (main.dataset.page === key) return;
    main.dataset.page = key;
    main.replaceChildren(this.page(owner));
  }

  page(owner) {
    switch (this.route.page) {
      case 'device': return element('device-page', { deviceId: this.route.arg, owner });
      case 'pairing': return owner ? element('pairing-view', {})
        : notice('Add devices', 'Only an owner of this home can add devices.');
      case 'settings': return element('settings-view', { owner });
      default: return element('dashboard-view', { owner });
    }
  }
}

function element(name, properties) {
  return Object.assign(document.createElement(name), properties);
}

function notice(title, text) {
  const section = document.createElement('section');
  const heading = document.createElement('h2');
  heading.textContent = title;
  const paragraph = document.createElement('p');
  paragraph.className = 'notice';
  paragraph.setAttribute('role', 'alert');
  paragraph.textContent = text;
  section.append(heading, paragraph);
  return section;
}
customElements.define('hearth-app', HearthApp);
