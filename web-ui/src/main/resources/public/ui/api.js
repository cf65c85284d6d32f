// Calls the hub's REST API as the logged-in browser: session cookie, CSRF header on changes, and
// refusals turned into messages a homeowner can act on.

/** A refusal of the API, with words fit to show on the page. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function csrf() {
  const match = document.cookie.split('; ').find((c) => c.startsWith('hearth_csrf='));
  return match ? decodeURIComponent(match.slice('hearth_csrf='.length)) : '';
}

const PLAIN_WORDS = {
  401: 'You are not logged in any more. Log in again.',
  403: 'Only an owner of this home may do that.',
  429: 'Too many tries. Wait a minute, then try again.',
  500: 'The hub ran into a problem. Try again; if it keeps happening, restart the hub.',
  502: 'The hub cannot be reached. Is it switched on and on the network?',
  503: 'The hub is starting or busy. Try again in a moment.',
  504: 'The hub cannot be reached. Is it switched on and on the network?',
};

async function refusal(response) {
  let detail = '';
  try {
    const body = await response.json();
    detail = body.detail || body.message || '';
  } catch (e) {
    // Not JSON (a proxy's page, say): never show it raw.
  }
  if (response.status === 401 && window.location.hash !== '#/login') {
    window.dispatchEvent(new CustomEvent('hearth-logged-out'));
  }
  const words = detail && response.status < 500 ? detail : PLAIN_WORDS[response.status] || detail;
  return new ApiError(response.status, words || `The hub refused this (${response.status}).`);
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['X-Hearth-CSRF'] = csrf();
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'The hub cannot be reached. Is it switched on, and is this device on the home network?');
  }
  if (!response.ok) throw await refusal(response);
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);
