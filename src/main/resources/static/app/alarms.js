// The open alarms of the signed-in clinician's patients, kept current from the alarm stream, and
// the alarm panel that lists them with what a nurse does about them.

import { get, post, follow } from './api.js';
import { el } from './dom.js';
import { age } from './vitals.js';
import { callPatient } from './visit.js';

const RANK = { high: 3, medium: 2, low: 1 };

export class AlarmBoard {
  constructor() {
    this.open = new Map();
    this.listeners = new Set();
    this.announce = () => {};
  }

  async load() {
    const alarms = await get('/api/v1/alarms');
    this.open.clear();
    for (const alarm of alarms) this.open.set(alarm.id, alarm);
    this.changed();
  }

  start() {
    return follow('/api/v1/alarms/stream', (status, alarm) => {
      const isNew = !this.open.has(alarm.id);
      if (status === 'resolved') this.open.delete(alarm.id);
      else this.open.set(alarm.id, alarm);
      if (isNew && status === 'active' && alarm.priority === 'high') this.announce(alarm);
      this.changed(alarm);
    });
  }

  onChange(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(alarm) {
    for (const listener of this.listeners) listener(alarm);
  }

  /** Highest priority first, then oldest. */
  sorted() {
    return [...this.open.values()].sort(
      (a, b) => RANK[b.priority] - RANK[a.priority] || a.raisedAt.localeCompare(b.raisedAt),
    );
  }

  /** What a tile shows of a patient's open alarms. */
  summaryOf(patientId) {
    const theirs = [...this.open.values()].filter((a) => a.patientId === patientId);
    if (!theirs.length) return { open: 0, active: 0, highestPriority: null };
    const highest = theirs.reduce((a, b) => (RANK[b.priority] > RANK[a.priority] ? b : a));
    return {
      open: theirs.length,
      active: theirs.filter((a) => a.status === 'active').length,
      highestPriority: highest.priority,
    };
  }
}

function stateText(alarm) {
  if (alarm.status === 'acknowledged') {
    return `Acknowledged by ${alarm.acknowledgedBy}`;
  }
  if (alarm.snoozedUntil && new Date(alarm.snoozedUntil) > new Date()) {
    return `Snoozed until ${new Date(alarm.snoozedUntil).toLocaleTimeString()}`;
  }
  if (alarm.escalation > 0) {
    return `Not acknowledged — escalated${alarm.escalatedTo ? ` to ${alarm.escalatedTo}` : ''}`;
  }
  return 'Not acknowledged';
}

/** The alarm panel: renders into `container`, names patients with `nameOf(patientId)`. */
export function alarmPanel(board, container, nameOf, onError) {
  function act(alarm, action, body) {
    post(`/api/v1/alarms/${alarm.id}/${action}`, body)
      .then((updated) => {
        if (updated.status === 'resolved') board.open.delete(updated.id);
        else board.open.set(updated.id, updated);
        board.changed(updated);
      })
      .catch((e) => onError(`Could not ${action} the alarm: ${e.message}`));
  }

  function reasonForm(alarm, action, withMinutes) {
    const reason = el('input', { type: 'text', name: 'reason', required: true, maxlength: 400,
      'aria-label': `Reason to ${action}` });
    const minutes = withMinutes
      ? el('select', { name: 'minutes', 'aria-label': 'Snooze for' },
        ...[5, 15, 30, 60].map((m) => el('option', { value: m }, `${m} min`)))
      : null;
    const form = el('form', { class: 'reason', onsubmit: (e) => {
      e.preventDefault();
      if (!reason.value.trim()) { reason.focus(); return; }
      act(alarm, action, withMinutes
        ? { reason: reason.value.trim(), minutes: Number(minutes.value) }
        : { reason: reason.value.trim() });
    } },
    el('label', {}, action === 'resolve' ? 'Why resolved: ' : 'Why snoozed: ', reason),
    minutes,
    el('button', { type: 'submit' }, action === 'resolve' ? 'Resolve' : 'Snooze'));
    return form;
  }

  // Each alarm's form area lives across re-renders, so a reason being typed survives other alarms
  // changing meanwhile.
  const formAreas = new Map();

  function render() {
    const alarms = board.sorted();
    for (const id of formAreas.keys()) if (!board.open.has(id)) formAreas.delete(id);
    container.replaceChildren(
      el('h2', { id: 'alarms-heading' }, `Alarms (${alarms.length})`),
      alarms.length === 0
        ? el('p', { class: 'quiet' }, 'No open alarms.')
        : el('ol', { class: 'alarm-list', 'aria-labelledby': 'alarms-heading' },
          ...alarms.map((alarm) => {
            if (!formAreas.has(alarm.id)) formAreas.set(alarm.id, el('div', { class: 'alarm-forms' }));
            const forms = formAreas.get(alarm.id);
            return el('li', {
              class: `alarm alarm-${alarm.priority} alarm-${alarm.status}`,
              'data-alarm-id': alarm.id,
              'data-status': alarm.status,
            },
            el('div', { class: 'alarm-head' },
              el('span', { class: `priority priority-${alarm.priority}` }, alarm.priority.toUpperCase()),
              el('a', { href: `#/patient/${encodeURIComponent(alarm.patientId)}` }, nameOf(alarm.patientId)),
              el('span', { class: 'age', title: alarm.raisedAt }, age(alarm.raisedAt))),
            el('p', { class: 'summary' }, alarm.summary),
            el('p', { class: 'state' }, stateText(alarm)),
            el('div', { class: 'actions' },
              alarm.status === 'active'
                ? el('button', { type: 'button', class: 'acknowledge', onclick: () => act(alarm, 'acknowledge') }, 'Acknowledge')
                : null,
              el('button', { type: 'button', class: 'secondary', onclick: () => forms.replaceChildren(reasonForm(alarm, 'resolve', false)) }, 'Resolve…'),
              el('button', { type: 'button', class: 'secondary', onclick: () => forms.replaceChildren(reasonForm(alarm, 'snooze', true)) }, 'Snooze…'),
              el('button', { type: 'button', class: 'secondary call-patient', onclick: () => callPatient(alarm.id, onError) }, 'Call the patient now')),
            forms);
          })),
    );
  }

  render();
  return board.onChange(render);
}
