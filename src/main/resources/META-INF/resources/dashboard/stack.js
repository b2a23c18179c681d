// One stack: state, services, diff, tasks by node, recent passes, source; sync, suspend and resume.
import {
  actionResult, api, askForToken, el, every, facts, fill, initToken, live, notice, refreshTimes, renderSource, revisionNode,
  setBadge, timeNode, token, triggerWords,
} from './common.js';

const name = new URLSearchParams(location.search).get('name') || '';
const path = 'stacks/' + encodeURIComponent(name);
let sourceUrl = null;
let seen = '';

function showStatus(s) {
  setBadge(document.getElementById('sync'), 'sync', s.sync);
  setBadge(document.getElementById('health'), 'health', s.health);
  document.getElementById('message').textContent = s.message || '';
  const op = s.lastOperation;
  facts('facts', [
    ['Revision applied', revisionNode(s.revisionApplied, sourceUrl)],
    ['Revision attempted', revisionNode(s.revisionAttempted, sourceUrl)],
    ['Last operation', op ? [triggerWords(op.triggers), ' · ', timeNode(op.finished || op.started), ' · ',
      el('span', { class: 'result result-' + op.result }, op.result)] : el('span', { class: 'muted' }, 'none yet')],
    ['Image updates', (s.imageUpdates || []).length ? el('ul', {}, s.imageUpdates.map((u) => el('li', {}, u))) : undefined],
  ]);
  const services = s.services || [];
  document.getElementById('no-services').hidden = services.length > 0;
  fill('service-rows', services.map((sv) => el('tr', {},
    el('th', { scope: 'row', 'data-label': 'Service' }, sv.name),
    el('td', { 'data-label': 'Tasks', class: sv.runningTasks < sv.desiredTasks ? 'bad' : '' },
      sv.runningTasks + '/' + sv.desiredTasks),
    el('td', { 'data-label': 'Update' }, sv.updateState || '—'),
    el('td', { 'data-label': 'Differs' }, (sv.differences || []).length
      ? el('ul', { class: 'paths' }, sv.differences.map((p) => el('li', {}, el('code', {}, p)))) : 'nothing'),
    el('td', { 'data-label': 'Remedies' }, (sv.remedies || []).length
      ? el('ul', {}, sv.remedies.map((r) => el('li', {}, r.remedy + ': ' + r.state + ', ' + r.retries + ' of '
        + r.maxRetries + ' retries' + (r.lastError ? ' (last error: ' + r.lastError + ')' : ''))))
      : 'none'))));
}

function value(v) {
  return v === null || v === undefined ? el('span', { class: 'muted' }, 'absent') : el('code', {}, JSON.stringify(v));
}

async function loadDiff() {
  if (!token()) {
    const enter = el('button', { type: 'button' }, 'Enter the token');
    enter.addEventListener('click', () => askForToken('The diff needs the API token.'));
    fill('diff-body', el('p', { class: 'empty' },
      'The diff needs the API token (its values may include environment variables). '), enter);
    return;
  }
  const reply = await api(path + '/diff');
  if (!reply.ok) {
    fill('diff-body', el('p', { class: 'bad' }, 'No diff: ' + reply.error));
    return;
  }
  const diff = reply.body;
  if (diff.inSync) {
    fill('diff-body', el('p', { class: 'good' }, 'In sync: a sync would change nothing.'));
    return;
  }
  fill('diff-body', diff.changes.map((c) => el('div', { class: 'change' },
    el('h3', {}, c.action + ' ' + c.kind + ' ', el('code', {}, c.name)),
    c.fields.length === 0 ? el('p', { class: 'muted' }, 'the whole object')
      : el('table', { class: 'fields' },
        el('caption', { class: 'visually-hidden' }, 'Fields of ' + c.name + ' that differ'),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Field'), el('th', { scope: 'col' }, 'Live'),
          el('th', { scope: 'col' }, 'In the files'))),
        el('tbody', {}, c.fields.map((f) => el('tr', {},
          el('th', { scope: 'row', 'data-label': 'Field' }, el('code', {}, f.path)),
          el('td', { 'data-label': 'Live' }, value(f.live)),
          el('td', { 'data-label': 'In the files' }, value(f.desired)))))))));
}

function took(op) {
  const started = new Date(op.started).getTime();
  const finished = new Date(op.finished).getTime();
  return Number.isFinite(finished - started) ? ((finished - started) / 1000).toFixed(1) + ' s' : '—';
}

async function loadOperations() {
  const reply = await api(path + '/operations');
  if (!reply.ok) return;
  document.getElementById('no-operations').hidden = reply.body.length > 0;
  fill('operation-rows', reply.body.map((op) => el('tr', {},
    el('td', { 'data-label': 'Finished' }, timeNode(op.finished || op.started)),
    el('td', { 'data-label': 'Trigger' }, triggerWords(op.triggers)),
    el('td', { 'data-label': 'Result' }, el('span', { class: 'result result-' + op.result }, op.result)),
    el('td', { 'data-label': 'Took' }, took(op)),
    el('td', { 'data-label': 'Writes' }, (op.writes || []).length
      ? el('ul', { class: 'writes' }, op.writes.map((w) => el('li', {}, w))) : 'none'),
    el('td', { 'data-label': 'Message', class: 'message' }, op.message || ''))));
}

async function loadTasks() {
  const reply = await api(path + '/tasks');
  if (!reply.ok) {
    fill('tasks-body', el('p', { class: 'bad' }, 'No tasks: ' + reply.error));
    return;
  }
  const nodes = reply.body.nodes;
  if (nodes.length === 0) {
    fill('tasks-body', el('p', { class: 'empty' }, 'No tasks.'));
    return;
  }
  fill('tasks-body', nodes.map((n) => el('div', { class: 'node' },
    el('h3', {}, n.node),
    el('table', {},
      el('caption', { class: 'visually-hidden' }, 'Tasks on ' + n.node),
      el('thead', {}, el('tr', {}, ['Service', 'Slot', 'State', 'Desired', 'Since', 'Error']
        .map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, n.tasks.map((t) => el('tr', { class: t.desiredState === 'running' ? '' : 'past' },
        el('th', { scope: 'row', 'data-label': 'Service' }, t.service),
        el('td', { 'data-label': 'Slot' }, t.slot || '—'),
        el('td', { 'data-label': 'State', class: 'task-' + t.state }, t.state),
        el('td', { 'data-label': 'Desired' }, t.desiredState),
        el('td', { 'data-label': 'Since' }, timeNode(t.since)),
        el('td', { 'data-label': 'Error', class: 'message' }, t.error || ''))))))));
}

async function poll() {
  const reply = await api(path);
  if (reply.status === 401) {
    askForToken('Viewing needs the API token (stackwarden.api.read-requires-token): ' + reply.error);
    live(false, 'Not updated: the token is needed');
    return;
  }
  if (!reply.ok) {
    live(false, 'Not updated ' + new Date().toLocaleTimeString() + ': ' + reply.error);
    if (reply.status === 404 || reply.status === 400) notice(reply.error, 'error');
    return;
  }
  showStatus(reply.body);
  // A pass ended or the state moved: the passes and the diff are worth reading again.
  const op = reply.body.lastOperation;
  const key = [reply.body.sync, reply.body.health, op && op.finished].join('|');
  if (key !== seen) {
    seen = key;
    await Promise.all([loadOperations(), loadDiff()]);
  }
  live(true, 'Live: checked ' + new Date().toLocaleTimeString());
  refreshTimes();
}

async function panels() {
  const source = await api('source');
  if (source.ok) {
    sourceUrl = source.body.url;
    renderSource(source.body);
  }
}

const buttons = ['do-sync', 'do-suspend', 'do-resume'].map((id) => document.getElementById(id));

async function act(label, action) {
  buttons.forEach((b) => { b.disabled = true; });
  actionResult(label + '…');
  const query = action === 'sync' ? '?wait=true' : '';
  const reply = await api(path + '/' + action + query, { method: 'POST' });
  buttons.forEach((b) => { b.disabled = false; });
  if (reply.status === 401) {
    actionResult(label + ' refused: ' + reply.error + '. Enter the API token above.', 'error');
    askForToken(label + ' needs the API token.');
  } else if (!reply.ok) {
    actionResult(label + ' failed: ' + reply.error, 'error');
  } else if (reply.status === 202) {
    actionResult(label + ': queued as operation ' + reply.body.operationId + '; the pass has not ended yet.', 'info');
  } else {
    const done = reply.body;
    actionResult(label + ' ' + done.result + ': ' + done.message, done.result === 'succeeded' ? 'ok' : 'error');
    if (done.status) showStatus(done.status);
  }
  seen = '';
  pollNow();
  tasksNow();
}

document.getElementById('stack-name').textContent = name;
if (!name) notice('No stack named: open a stack from the list of stacks.', 'error');
document.title = name + ' · Stackwarden';
buttons[0].addEventListener('click', () => act('Sync', 'sync'));
buttons[1].addEventListener('click', () => act('Suspend', 'suspend'));
buttons[2].addEventListener('click', () => act('Resume', 'resume'));
initToken(() => {
  seen = '';
  pollNow();
  tasksNow();
  panelsNow();
});
const pollNow = every(2000, poll);
const tasksNow = every(5000, loadTasks);
const panelsNow = every(10000, panels);
