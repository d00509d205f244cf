// The patient portal: a patient's own readings in plain words, the same charts in a simpler frame,
// and who has looked at their record.

import { get } from './api.js';
import { el } from './dom.js';
import { messageThread } from './messages.js';
import { carePlanSummary } from './careplan.js';
import { yourMedicines } from './medications.js';
import { chart } from './charts.js';
import { LOINC, VITALS } from './vitals.js';
import { visitsPanel } from './visit.js';

const WEEK = 7 * 86400;

async function week(patientId, code) {
  const from = new Date(Date.now() - WEEK * 1000).toISOString();
  const query = new URLSearchParams({ patient: patientId, code: `${LOINC}|${code}`, date: `ge${from}`, _sort: 'date', _count: '1000' });
  const bundle = await get(`/fhir/Observation?${query}`);
  return (bundle.entry || []).map((e) => e.resource).filter((o) => o.valueQuantity);
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

/** Sentences about the week, each only from readings there are: no reading, no sentence. */
function summaries(byCode) {
  const lines = [];
  const sys = byCode['8480-6'];
  const dia = byCode['8462-4'];
  if (sys.length && dia.length) {
    lines.push(`Your blood pressure this week averaged ${Math.round(mean(sys.map((o) => o.valueQuantity.value)))}/${Math.round(mean(dia.map((o) => o.valueQuantity.value)))} mmHg, from ${sys.length} reading${sys.length > 1 ? 's' : ''}.`);
  }
  const hr = byCode['8867-4'];
  if (hr.length) lines.push(`Your heart rate this week averaged ${Math.round(mean(hr.map((o) => o.valueQuantity.value)))} beats a minute.`);
  const spo2 = byCode['59408-5'];
  if (spo2.length) lines.push(`Your oxygen level this week averaged ${Math.round(mean(spo2.map((o) => o.valueQuantity.value)))} %.`);
  const weight = byCode['29463-7'];
  if (weight.length > 1) {
    const change = weight[weight.length - 1].valueQuantity.value - weight[0].valueQuantity.value;
    lines.push(Math.abs(change) < 0.1
      ? 'Your weight stayed the same this week.'
      : `Your weight ${change > 0 ? 'went up' : 'went down'} by ${Math.abs(change).toFixed(1)} kg this week.`);
  }
  const glucose = byCode['41653-7'];
  if (glucose.length) lines.push(`Your blood sugar this week averaged ${Math.round(mean(glucose.map((o) => o.valueQuantity.value)))} mg/dL, from ${glucose.length} reading${glucose.length > 1 ? 's' : ''}.`);
  return lines;
}

export async function portalView(main, patientId, showMessage) {
  const summary = el('section', { 'aria-labelledby': 'week-heading' }, el('h2', { id: 'week-heading' }, 'Your week'));
  const charts = el('div', { class: 'charts' });
  const access = el('section', { 'aria-labelledby': 'access-heading' },
    el('h2', { id: 'access-heading' }, 'Who looked at your record'));
  const thread = messageThread(patientId, { asPatient: true, showMessage });
  const medicines = yourMedicines(patientId, { showMessage });
  main.replaceChildren(el('div', { class: 'portal' },
    el('h1', { id: 'portal-heading' }, 'Your health'), visitsPanel(patientId, { asPatient: true, showMessage }), medicines.section, summary, charts, thread.section, access));

  const patient = await get(`/fhir/Patient/${encodeURIComponent(patientId)}`);
  const given = patient.name?.[0]?.given?.[0];
  main.querySelector('#portal-heading').textContent = given ? `Hello, ${given}` : 'Your health';

  const care = await carePlanSummary(patientId).catch(() => null);
  if (care) summary.before(care);

  const codes = ['8480-6', '8462-4', '8867-4', '59408-5', '29463-7', '41653-7'];
  const results = await Promise.all(codes.map((c) => week(patientId, c)));
  const byCode = Object.fromEntries(codes.map((c, i) => [c, results[i]]));
  const lines = summaries(byCode);
  summary.append(...(lines.length
    ? lines.map((line) => el('p', { class: 'plain' }, line))
    : [el('p', { class: 'quiet' }, 'No readings from your devices this week yet.')]));

  const now = Date.now() / 1000;
  const seconds = (o) => new Date(o.effectiveDateTime).getTime() / 1000;
  for (const [code, label, extra] of [['8480-6', 'Blood pressure', '8462-4'], ['8867-4', 'Heart rate'], ['59408-5', 'Oxygen level'], ['41653-7', 'Blood sugar']]) {
    const series = [{ label: VITALS[code].short, points: byCode[code].map((o) => [seconds(o), o.valueQuantity.value]) }];
    if (extra) series.push({ label: VITALS[extra].short, points: byCode[extra].map((o) => [seconds(o), o.valueQuantity.value]) });
    if (!series[0].points.length) continue;
    const figure = el('figure', { class: 'chart', 'data-code': code }, el('figcaption', {}, `${label} this week`));
    charts.append(figure);
    chart(figure, { title: '', unit: VITALS[code].unit, series, from: now - WEEK, to: now });
  }

  const events = await get(`/fhir/AuditEvent?patient=${encodeURIComponent(patientId)}&_count=50`).catch(() => null);
  const rows = (events?.entry || []).map((e) => e.resource).map((a) => el('tr', {},
    el('td', {}, new Date(a.recorded).toLocaleString()),
    el('td', {}, a.agent?.[0]?.who?.display || 'unknown'),
    el('td', {}, a.entity?.find((x) => x.description)?.description || '')));
  access.append(rows.length
    ? el('table', { class: 'access' }, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'When'), el('th', { scope: 'col' }, 'Who'), el('th', { scope: 'col' }, 'What'))), el('tbody', {}, ...rows))
    : el('p', { class: 'quiet' }, 'No one has looked at your record yet.'));
  return () => { thread.stop(); medicines.stop(); };
}
