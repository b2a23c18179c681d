// The list of every stack: one call for all of them, polled with an ETag (an unchanged list costs a 304).
import {
  actionResult, api, askForToken, badge, el, every, facts, fill, initToken, live, refreshTimes, renderSource,
  revisionNode, timeNode, triggerWords,
} from './common.js';

const POLL_MS = 2000;
const PANELS_MS = 10000;
const filters = ['sync', 'health', 'result', 'problems', 'name'];
let etag = null;
let stacks = [];
let sourceUrl = null;
let renders = 0;

function control(name) {
  return document.getElementById('f-' + name);
}

function filterValues() {
  return {
    sync: control('sync').value,
    health: control('health').value,
    result: control('result').value,
    problems: control('problems').checked,
    name: control('name').value.trim().toLowerCase(),
  };
}

function matches(row, f) {
  const d = row.dataset;
  return (!f.sync || d.sync === f.sync) && (!f.health || d.health === f.health)
    && (!f.result || d.result === f.result)
    && (!f.problems || d.sync !== 'Synced' || d.health !== 'Healthy')
    && (!f.name || d.stack.toLowerCase().includes(f.name));
}

function applyFilters() {
  const f = filterValues();
  let shown = 0;
  for (const row of document.getElementById('rows').rows) {
    row.hidden = !matches(row, f);
    if (!row.hidden) shown++;
  }
  document.getElementById('no-match').hidden = shown > 0 || stacks.length === 0;
  const hash = new URLSearchParams();
  for (const name of filters) {
    const value = f[name];
    if (value) hash.set(name, value === true ? '1' : value);
  }
  history.replaceState(null, '', hash.toString() ? '#' + hash : location.pathname + location.search);
}

function readHash() {
  const hash = new URLSearchParams(location.hash.slice(1));
  for (const name of filters) {
    if (!hash.has(name)) continue;
    if (name === 'problems') control(name).checked = hash.get(name) === '1';
    else control(name).value = hash.get(name);
  }
}

function serviceName(stack, service) {
  return service.startsWith(stack + '_') ? service.slice(stack.length + 1) : service;
}

function lastOperation(op) {
  if (!op) return el('span', { class: 'muted' }, 'none yet');
  const writes = op.writes || [];
  return [
    el('span', { class: 'trigger' }, triggerWords(op.triggers)), ' · ',
    timeNode(op.finished || op.started), ' · ',
    el('span', { class: 'result result-' + op.result }, op.result), ' · ',
    el('span', { title: writes.join('\n') || null }, writes.length === 1 ? '1 write' : writes.length + ' writes'),
  ];
}

function services(status) {
  const list = status.services || [];
  if (list.length === 0) return el('span', { class: 'muted' }, '—');
  return el('ul', { class: 'services' }, list.map((s) => el('li', {
    class: s.runningTasks < s.desiredTasks ? 'short' : null, title: s.name,
  }, serviceName(status.stack, s.name) + ' ', el('span', { class: 'tasks' }, s.runningTasks + '/' + s.desiredTasks))));
}

function row(status) {
  const op = status.lastOperation;
  const attempted = status.revisionAttempted && status.revisionAttempted !== status.revisionApplied
    ? [el('br'), el('span', { class: 'muted' }, 'attempted '), revisionNode(status.revisionAttempted, sourceUrl)] : null;
  return el('tr', {
    'data-stack': status.stack, 'data-sync': status.sync, 'data-health': status.health,
    'data-result': op ? op.result : '',
  },
  el('th', { scope: 'row', 'data-label': 'Stack' },
    el('a', { href: 'stack.html?name=' + encodeURIComponent(status.stack) }, status.stack)),
  el('td', { 'data-label': 'Sync' }, badge('sync', status.sync)),
  el('td', { 'data-label': 'Health' }, badge('health', status.health)),
  el('td', { 'data-label': 'Revision' }, revisionNode(status.revisionApplied, sourceUrl), attempted),
  el('td', { 'data-label': 'Last operation', class: 'operation' }, lastOperation(op)),
  el('td', { 'data-label': 'Services' }, services(status)),
  el('td', { 'data-label': 'Message', class: 'message' }, status.message || ''));
}

const ORDER = {
  sync: ['Synced', 'OutOfSync', 'Unknown'],
  health: ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'],
};

/** How many stacks are in each state, per axis; a count is a button that filters the list to it. */
function summary() {
  const parts = [el('strong', {}, stacks.length === 1 ? '1 stack' : stacks.length + ' stacks')];
  for (const axis of ['sync', 'health']) {
    const counts = new Map();
    for (const s of stacks) counts.set(s[axis], (counts.get(s[axis]) || 0) + 1);
    const words = [...counts.keys()].sort((a, b) => ORDER[axis].indexOf(a) - ORDER[axis].indexOf(b));
    parts.push(el('span', { class: 'axis' }, axis === 'sync' ? 'Sync:' : 'Health:'));
    for (const word of words) {
      const button = el('button', { type: 'button', class: 'count', title: 'Show only ' + axis + ' ' + word },
        badge(axis, word), ' ' + counts.get(word));
      button.addEventListener('click', () => {
        control(axis).value = word;
        applyFilters();
      });
      parts.push(button);
    }
  }
  fill('summary', parts);
}

function render() {
  const body = document.createDocumentFragment();
  for (const status of stacks) body.append(row(status));
  document.getElementById('rows').replaceChildren(body);
  summary();
  applyFilters();
  renders++;
  document.body.dataset.renders = String(renders);
  if (renders === 1) performance.mark('stackwarden:stacks-rendered');
}

async function poll() {
  const reply = await api('stacks', { etag });
  if (reply.status === 401) {
    etag = null;
    stacks = [];
    document.getElementById('rows').replaceChildren();
    fill('summary', 'The API token is needed to view the stacks.');
    askForToken('Viewing needs the API token (stackwarden.api.read-requires-token): ' + reply.error);
    live(false, 'Not updated: the token is needed');
    return;
  }
  if (!reply.ok) {
    live(false, 'Not updated ' + new Date().toLocaleTimeString() + ': ' + reply.error);
    return;
  }
  if (!reply.unchanged) {
    etag = reply.etag;
    stacks = reply.body;
    render();
  }
  live(true, 'Live: checked ' + new Date().toLocaleTimeString());
  refreshTimes();
}

function renderCluster(view) {
  const c = view.cluster;
  facts('cluster-facts', [
    ['Quorum', badge('quorum', c.quorum)],
    ['Managers', c.managersReachable + ' of ' + c.managers + ' reachable'],
    ['Leader', c.leader || el('span', { class: 'muted' }, 'none known')],
    ['Checked', timeNode(c.checkedAt)],
    ['Problem', c.problem ? el('span', { class: 'bad' }, c.problem) : undefined],
  ]);
  fill('cluster-findings', (c.findings || []).map((f) => el('li', { class: 'finding' }, f.message)));
  fill('nodes', [...(c.nodes || [])].sort((a, b) => a.hostname.localeCompare(b.hostname)).map((n) => el('tr', {},
    el('th', { scope: 'row', 'data-label': 'Node' }, n.hostname),
    el('td', { 'data-label': 'Role' }, n.manager ? (n.leader ? 'manager (leader)' : 'manager') : 'worker'),
    el('td', { 'data-label': 'State', class: n.state === 'ready' ? '' : 'bad' }, n.state),
    el('td', { 'data-label': 'Availability', class: n.availability === 'active' ? '' : 'warn' }, n.availability),
    el('td', { 'data-label': 'Reachability' }, n.reachability || '—'))));
}

async function panels() {
  const [source, cluster] = await Promise.all([api('source'), api('cluster')]);
  if (source.ok) {
    const changed = source.body.url !== sourceUrl;
    sourceUrl = source.body.url;
    renderSource(source.body);
    if (changed && stacks.length) render();
  }
  if (cluster.ok) renderCluster(cluster.body);
  else fill('cluster-facts', el('dd', { class: 'muted' }, cluster.error));
}

/** A manual pass of every stack, as POST /api/v1/sync: queued, not waited for; the list shows the passes as they end. */
async function syncAll() {
  const button = document.getElementById('do-sync-all');
  button.disabled = true;
  actionResult('Sync all…');
  const reply = await api('sync', { method: 'POST' });
  button.disabled = false;
  if (reply.status === 401) {
    actionResult('Sync all refused: ' + reply.error + '. Enter the API token above.', 'error');
    askForToken('Sync all needs the API token.');
  } else if (!reply.ok) {
    actionResult('Sync all failed: ' + reply.error, 'error');
  } else {
    actionResult('Sync all: ' + reply.body.length + ' stack(s) queued for a pass.', 'info');
    etag = null;
    pollNow();
  }
}

readHash();
document.getElementById('do-sync-all').addEventListener('click', syncAll);
document.getElementById('filters').addEventListener('input', applyFilters);
document.getElementById('filters').addEventListener('change', applyFilters);
document.getElementById('filters').addEventListener('submit', (event) => event.preventDefault());
initToken(() => {
  etag = null;
  pollNow();
  panelsNow();
});
const pollNow = every(POLL_MS, poll);
const panelsNow = every(PANELS_MS, panels);
