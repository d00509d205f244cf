// Administration for the people who run Vigil: devices (status, assignment, credentials), the
// dead-letter queue with replay, mapping templates with a test box, and — for administrators — the
// audit trail with its chain check and a patient's access report.

import { get, post, put, request } from './api.js';
import { el } from './dom.js';
import { age } from './vitals.js';

const TABS = [
  ['devices', 'Devices'],
  ['dead-letters', 'Dead letters'],
  ['templates', 'Templates'],
  ['audit', 'Audit'],
];

function table(headings, rows, empty) {
  if (!rows.length) return el('p', { class: 'quiet' }, empty);
  return el('table', { class: 'access admin-table' },
    el('thead', {}, el('tr', {}, ...headings.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows));
}

function statusOf(device) {
  if (device.revokedAt) return 'Revoked';
  const s = device.status || {};
  const parts = [s.online ? 'Online' : 'Offline'];
  if (s.batteryPercent !== null && s.batteryPercent !== undefined) parts.push(`battery ${Math.round(s.batteryPercent)} %`);
  if (s.lastSeen) parts.push(`seen ${age(s.lastSeen)}`);
  return parts.join(' · ');
}

async function devicesTab(panel, showMessage) {
  const devices = await get('/api/v1/devices');
  const reveal = el('div', { class: 'token-reveal', role: 'status' });
  const rows = devices.map((d) => {
    const patient = el('input', { type: 'text', value: d.patientId || '', 'aria-label': `Patient for ${d.displayName || d.id}`, size: '12' });
    const act = async (what, fn) => {
      try {
        await fn();
        showMessage(what, 'info');
        await devicesTab(panel, showMessage);
      } catch (e) {
        showMessage(`${d.displayName || d.id}: ${e.message}`);
      }
    };
    return el('tr', { 'data-device-id': d.id },
      el('td', {}, d.displayName || d.id, el('div', { class: 'quiet' }, d.id)),
      el('td', {}, d.type),
      el('td', {}, el('form', { class: 'assign', onsubmit: (e) => {
        e.preventDefault();
        act(`${d.id} assigned to ${patient.value}.`, () => put(`/api/v1/devices/${encodeURIComponent(d.id)}/assignment`, { patientId: patient.value.trim() }));
      } }, patient, el('button', { type: 'submit', class: 'secondary' }, 'Assign'),
      d.patientId ? el('button', { type: 'button', class: 'secondary unassign', onclick: () =>
        act(`${d.id} unassigned.`, () => request(`/api/v1/devices/${encodeURIComponent(d.id)}/assignment`, { method: 'DELETE' })) }, 'Unassign') : null)),
      el('td', { class: 'device-status' }, statusOf(d)),
      el('td', {},
        el('button', { type: 'button', class: 'secondary rotate', disabled: Boolean(d.revokedAt), onclick: async () => {
          try {
            const issued = await post(`/api/v1/devices/${encodeURIComponent(d.id)}/token`, {});
            reveal.replaceChildren(el('p', {}, `New credential for ${d.id} — shown once, give it to the device now: `),
              el('code', { class: 'token' }, issued.token));
          } catch (e) {
            showMessage(`${d.id}: ${e.message}`);
          }
        } }, 'Rotate credential'),
        el('button', { type: 'button', class: 'danger revoke', disabled: Boolean(d.revokedAt), onclick: () => {
          if (confirm(`Revoke ${d.id}? It will not be able to send readings until registered again.`)) {
            act(`${d.id} revoked.`, () => post(`/api/v1/devices/${encodeURIComponent(d.id)}/revoke`, {}));
          }
        } }, 'Revoke')));
  });
  panel.replaceChildren(el('h2', {}, 'Devices'), reveal,
    table(['Device', 'Type', 'Patient', 'Status', 'Credentials'], rows, 'No devices registered.'));
}

async function deadLettersTab(panel, showMessage) {
  const page = await get('/api/v1/dead-letters');
  const rows = page.deadLetters.map((d) => el('tr', { 'data-dead-letter-id': String(d.id) },
    el('td', {}, new Date(d.receivedAt).toLocaleString()),
    el('td', {}, d.transport),
    el('td', {}, d.deviceId || 'unknown'),
    el('td', { class: 'reason' }, d.reason),
    el('td', {}, d.replayedAt ? `Replayed: ${d.replayOutcome}` : el('button', { type: 'button', class: 'secondary replay', onclick: async () => {
      try {
        const result = await post(`/api/v1/dead-letters/${d.id}/replay`, {});
        showMessage(result.stored ? `Replayed: ${result.readings} reading(s) stored.` : `Still refused: ${result.outcome}`, result.stored ? 'info' : 'error');
        await deadLettersTab(panel, showMessage);
      } catch (e) {
        showMessage(`Replay failed: ${e.message}`);
      }
    } }, 'Replay'))));
  panel.replaceChildren(el('h2', {}, `Dead letters (${page.total})`),
    el('p', { class: 'quiet' }, 'Messages Vigil could not take, with the reason. Fix the device or its template, then replay.'),
    table(['Received', 'Transport', 'Device', 'Reason', ''], rows, 'No dead letters.'));
}

async function templatesTab(panel, showMessage) {
  const templates = await get('/api/v1/templates');
  const choice = el('select', { id: 'template-choice' },
    el('option', { value: '' }, 'Choose a template…'),
    ...templates.map((t) => el('option', { value: t.name }, `${t.name} — ${t.description}`)));
  const text = el('textarea', { id: 'template-text', rows: '10', spellcheck: 'false' });
  const payload = el('textarea', { id: 'template-payload', rows: '6', spellcheck: 'false' });
  const output = el('pre', { id: 'template-output', class: 'template-output', 'aria-live': 'polite' });
  choice.addEventListener('change', async () => {
    if (!choice.value) return;
    const token = await import('./auth.js').then((m) => m.accessToken());
    const response = await fetch(`/api/v1/templates/${encodeURIComponent(choice.value)}`, { headers: { Authorization: `Bearer ${token}` } });
    text.value = response.ok ? await response.text() : '';
  });
  panel.replaceChildren(el('h2', {}, 'Mapping templates'),
    el('form', { class: 'template-test', onsubmit: async (e) => {
      e.preventDefault();
      try {
        const report = await post('/api/v1/templates/test', { template: text.value, payload: payload.value });
        output.textContent = report.lines.join('\n');
        output.dataset.ok = String(report.ok);
      } catch (err) {
        showMessage(`Test failed: ${err.message}`);
      }
    } },
    el('label', { for: 'template-choice' }, 'Template'), choice,
    el('label', { for: 'template-text' }, 'Template text'), text,
    el('label', { for: 'template-payload' }, 'Paste a device payload'), payload,
    el('button', { type: 'submit' }, 'Test'), output));
}

async function auditTab(panel, showMessage) {
  const patient = el('input', { id: 'audit-patient', type: 'text', size: '14' });
  const agent = el('input', { id: 'audit-agent', type: 'text', size: '14' });
  const from = el('input', { id: 'audit-from', type: 'date' });
  const results = el('div', { class: 'audit-results' });
  const verdict = el('p', { id: 'audit-verdict', role: 'status' });
  async function search() {
    const query = new URLSearchParams({ _count: '100' });
    if (patient.value.trim()) query.set('patient', patient.value.trim());
    if (agent.value.trim()) query.set('agent-name', agent.value.trim());
    if (from.value) query.set('date', `ge${from.value}`);
    try {
      const bundle = await get(`/fhir/AuditEvent?${query}`);
      const rows = (bundle.entry || []).map((e) => e.resource).map((a) => el('tr', {},
        el('td', {}, new Date(a.recorded).toLocaleString()),
        el('td', {}, a.agent?.[0]?.who?.display || a.agent?.[0]?.who?.identifier?.value || 'unknown'),
        el('td', {}, a.action || ''),
        el('td', {}, a.outcome === '0' ? 'Success' : 'Refused or failed'),
        el('td', {}, a.entity?.find((x) => x.description)?.description || ''),
        el('td', {}, (a.entity || []).map((x) => x.what?.reference).filter((r) => r?.startsWith('Patient/')).join(', '))));
      results.replaceChildren(table(['When', 'Who', 'Action', 'Outcome', 'What', 'Patients'], rows, 'Nothing recorded for this search.'));
    } catch (e) {
      showMessage(`Audit search failed: ${e.message}`);
    }
  }
  panel.replaceChildren(el('h2', {}, 'Audit trail'),
    el('div', { class: 'audit-verify' },
      el('button', { type: 'button', id: 'verify-chain', onclick: async () => {
        verdict.textContent = 'Checking every event…';
        try {
          const result = await post('/api/v1/audit/verify', {});
          verdict.textContent = result.intact
            ? `Intact: all ${result.intactEvents} events are present, linked and unaltered.`
            : `Broken at event ${result.firstBrokenEvent}: ${result.problem} (${result.intactEvents} events intact before it).`;
          verdict.className = result.intact ? 'verdict-ok' : 'verdict-broken';
        } catch (e) {
          verdict.textContent = `The check could not run: ${e.message}`;
        }
      } }, 'Verify the chain'), verdict),
    el('form', { class: 'audit-search', onsubmit: (e) => { e.preventDefault(); search(); } },
      el('label', { for: 'audit-patient' }, 'Patient id (their access report)'), patient,
      el('label', { for: 'audit-agent' }, 'Who'), agent,
      el('label', { for: 'audit-from' }, 'Since'), from,
      el('button', { type: 'submit' }, 'Search')),
    results);
  await search();
}

/** The administration pages; `tab` is the part of the address after #/admin/. */
export async function adminView(main, role, tab, showMessage) {
  const tabs = TABS.filter(([id]) => id !== 'audit' || role === 'admin');
  const current = tabs.some(([id]) => id === tab) ? tab : tabs[0][0];
  const panel = el('section', { class: 'admin-panel', 'aria-live': 'polite' });
  main.replaceChildren(el('div', { class: 'admin' },
    el('h1', {}, 'Administration'),
    el('nav', { class: 'tabs', 'aria-label': 'Administration' },
      ...tabs.map(([id, label]) => el('a', { href: `#/admin/${id}`, 'aria-current': id === current ? 'page' : null }, label))),
    panel));
  const show = { devices: devicesTab, 'dead-letters': deadLettersTab, templates: templatesTab, audit: auditTab }[current];
  try {
    await show(panel, showMessage);
  } catch (e) {
    panel.replaceChildren(el('p', {}, `Could not load: ${e.message}`));
  }
  return () => {};
}
