// Shared by the dashboard's pages: the API token, calls to the JSON API, and small renderers.
// Everything from the server is put in the page as text (textContent), never as markup.

const TOKEN_KEY = 'stackwarden.api-token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

/** A call to the JSON API next to this page, with the token as a header when one is set. */
export async function api(path, { method = 'GET', etag = null } = {}) {
  const headers = { Accept: 'application/json' };
  const t = token();
  if (t) headers.Authorization = 'Bearer ' + t;
  if (etag) headers['If-None-Match'] = etag;
  let response;
  try {
    response = await fetch('api/v1/' + path, { method, headers, cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    return { status: 0, ok: false, error: 'Stackwarden did not answer (' + e.message + ')' };
  }
  if (response.status === 304) return { status: 304, ok: true, unchanged: true, etag };
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  const error = response.ok ? '' : (body && body.error) || ('HTTP ' + response.status);
  return { status: response.status, ok: response.ok, body, error, etag: response.headers.get('ETag') };
}

/** Builds an element: el('td', {class: 'x'}, 'text', otherNode). Attributes are set as attributes, children as text. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'hidden') node.hidden = true;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  }
}

/** A coloured badge that also says its word (colour is never the only signal). */
export function badge(axis, word) {
  const value = word || 'Unknown';
  return el('span', { class: 'badge ' + axis + '-' + value.replace(/[^A-Za-z]/g, '') }, value);
}

export function setBadge(node, axis, word) {
  const fresh = badge(axis, word);
  node.className = fresh.className;
  node.textContent = fresh.textContent;
}

/** An instant as the API writes it (ISO-8601, or seconds since the epoch). */
export function instant(value) {
  if (value === null || value === undefined || value === '') return null;
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function ago(date, now = Date.now()) {
  const s = Math.round((now - date.getTime()) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return s + ' s ago';
  if (s < 3600) return Math.floor(s / 60) + ' min ago';
  if (s < 86400) return Math.floor(s / 3600) + ' h ago';
  return Math.floor(s / 86400) + ' d ago';
}

/** A <time> that says how long ago, kept current by refreshTimes(); the exact time in its title. */
export function timeNode(value) {
  const date = instant(value);
  if (!date) return el('span', { class: 'muted' }, 'never');
  return el('time', { datetime: date.toISOString(), title: date.toLocaleString(), 'data-ago': '' }, ago(date));
}

export function refreshTimes() {
  const now = Date.now();
  for (const node of document.querySelectorAll('time[data-ago]')) {
    node.textContent = ago(new Date(node.getAttribute('datetime')), now);
  }
}

/**
 * The web page of a Git commit, for an http(s) remote of a GitHub-, GitLab-, Gitea- or Bitbucket-style host;
 * null for other remotes (SSH, file) and other revisions. Credentials in the URL are dropped.
 */
export function commitLink(sourceUrl, revision) {
  const commit = /^git:([0-9a-f]{40})$/.exec(revision || '');
  if (!commit || !sourceUrl) return null;
  let url;
  try {
    url = new URL(sourceUrl);
  } catch (e) {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const path = url.pathname.replace(/\/+$/, '').replace(/\.git$/, '');
  if (path.split('/').filter(Boolean).length < 2) return null;
  const commits = url.hostname === 'bitbucket.org' ? '/commits/' : '/commit/';
  return url.protocol + '//' + url.host + path + commits + commit[1];
}

/** A revision shortened for reading (git:1a2b3c4d5e), a link to its commit when the source allows. */
export function revisionNode(revision, sourceUrl) {
  if (!revision) return el('span', { class: 'muted' }, 'none');
  const short = revision.replace(/^(git|dir):([0-9a-f]{10})[0-9a-f]*$/, '$1:$2');
  const href = commitLink(sourceUrl, revision);
  return href
    ? el('a', { href, rel: 'noopener noreferrer', target: '_blank', title: revision, class: 'revision' }, short)
    : el('code', { title: revision, class: 'revision' }, short);
}

export function triggerWords(triggers) {
  return (triggers || []).map((t) => t.toLowerCase().replace(/_/g, ' ')).sort().join(', ') || '—';
}

/** Replaces the children of the element with the given id. */
export function fill(id, ...children) {
  const node = document.getElementById(id);
  node.replaceChildren();
  append(node, children);
  return node;
}

export function facts(id, pairs) {
  fill(id, pairs.filter(([, value]) => value !== undefined)
    .map(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}

/** What an action (sync, suspend, resume) came to, in the page's #action-result. */
export function actionResult(text, kind) {
  const node = document.getElementById('action-result');
  node.textContent = text;
  node.className = 'action-result' + (kind ? ' notice-' + kind : '');
}

export function notice(text, kind = 'info') {
  const node = document.getElementById('notice');
  node.textContent = text;
  node.className = 'notice' + (text ? ' notice-' + kind : '');
}

/** The source panel: kind, remote, branch, revision, last fetch, and whether and why it is stale. */
export function renderSource(source) {
  const stale = source.stale
    ? el('span', { class: 'bad' }, 'stale', source.staleSince ? [' since ', timeNode(source.staleSince)] : '',
      source.error ? ': ' + source.error : '')
    : el('span', { class: 'good' }, 'current');
  facts('source-facts', [
    ['Kind', source.kind],
    ['Remote', source.url ? el('code', {}, source.url) : undefined],
    ['Branch', source.branch || undefined],
    ['Revision', revisionNode(source.revision, source.url)],
    ['Last fetch', timeNode(source.lastFetch)],
    ['State', stale],
  ]);
}

/** The token panel, in the page's header: entered once per browser session; onChange runs after it was set or forgotten. */
export function initToken(onChange) {
  const input = el('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true });
  const forget = el('button', { type: 'button', id: 'token-forget' }, 'Forget');
  const form = el('form', { id: 'token-form' },
    el('label', { for: 'token' }, 'API token'), input,
    el('button', { type: 'submit' }, 'Use for this session'), forget,
    el('p', { class: 'hint' }, 'Kept in this browser tab\'s session storage and sent as a header, never in a URL.'));
  const state = el('summary', { id: 'token-state' });
  const panel = el('details', { id: 'token-panel', class: 'token' }, state, form);
  document.getElementById('token-slot').replaceWith(panel);
  const show = () => {
    state.textContent = token() ? 'API token: set for this session' : 'API token: not set';
    forget.disabled = !token();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) return;
    sessionStorage.setItem(TOKEN_KEY, value);
    input.value = '';
    panel.open = false;
    show();
    notice('');
    asked = false;
    onChange();
  });
  forget.addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    show();
    asked = false;
    onChange();
  });
  show();
}

let asked = false;

/** Opens the token panel with a reason, e.g. after a 401; once until the token changes, so polling never steals focus. */
export function askForToken(why) {
  if (asked) return;
  asked = true;
  notice(why, 'error');
  document.getElementById('token-panel').open = true;
  document.getElementById('token').focus();
}

/**
 * Calls task now and then every interval ms, never two at once; paused while the tab is hidden.
 * Returns a function that runs it again at once (after an action).
 */
export function every(interval, task) {
  let timer = null;
  let running = false;
  const run = async () => {
    clearTimeout(timer);
    if (running) return;
    running = true;
    try {
      await task();
    } finally {
      running = false;
      if (!document.hidden) timer = setTimeout(run, interval);
    }
  };
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) run();
  });
  run();
  return run;
}

export function live(ok, text) {
  const node = document.getElementById('live');
  node.textContent = text;
  node.className = ok ? '' : 'bad';
}

// For scripts driving the page (the browser test, the bench).
window.stackwarden = { commitLink };
