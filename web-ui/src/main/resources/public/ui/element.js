import { LitElement } from './lit.js';

/**
 * Base of every Hearth component: renders into the page itself rather than a shadow root, so the one
 * stylesheet (app.css) styles everything and no inline <style> is needed under the page's CSP.
 */
export class HearthElement extends LitElement {
  createRenderRoot() {
    return this;
  }
}
