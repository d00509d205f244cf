// The patient view: a chart per vital sign over 1 h / 24 h / 7 d / a chosen window, with alarm
// limits and alarms drawn; NEWS2 history; the latest manual observations; entering a level of
// consciousness; the patient's personal alarm limits; their devices.

import { get, post, put, ApiError } from './api.js';
import { el } from './dom.js';
import { chart } from './charts.js';
import { messageThread } from './messages.js';
import { carePlanSection, reviewTimer } from './careplan.js';
import { visitsPanel } from './visit.js';
import { medicinesSection } from './medications.js';
import { LOINC, VITALS, CHARTED, ACVPU, format, age } from './vitals.js';

const SNOMED = 'http://snomed.info/sct';
const NEWS2_CODE = '1104051000000101';
const ACVPU_SNOMED = ['248234008', '130987000', '300202002', '450847001', '422768004'];
const RANGES = { '1h': 3600, '24h': 86400, '7d': 7 * 86400 };
/** Enough points to draw a week of a vital taken every minute; the chart says when it shows fewer. */
const MAX_POINTS = 12_000;

function nameOf(patient) {
  const name = patient.name?.[0];
  return name ? `${name.family}, ${(name.given || []).join(' ')}` : patient.id;
}

/** Every Observation of one code in the window, oldest first, following `next` links. */
async function observations(patientId, system, code, fromIso) {
  const query = new URLSearchParams({
    patient: patientId,
    code: `${system}|${code}`,
    date: `ge${fromIso}`,
    _sort: '-date',
    _count: '1000',
  });
  let url = `/fhir/Observation?${query}`;
  const found = [];
  let truncated = false;
  while (url) {
    const bundle = await get(url);
    for (const entry of bundle.entry || []) found.push(entry.resource);
    url = bundle.link?.find((l) => l.relation === 'next')?.url || null;
    if (url) url = url.replace(/^https?:\/\/[^/]+/, '');
    if (found.length >= MAX_POINTS) {
      truncated = url !== null;
      break;
    }
  }
  return { found: found.reverse(), truncated };
}

function seconds(observation) {
  return new Date(observation.effectiveDateTime).getTime() / 1000;
}

export async function patientView(main, patientId, board, showError) {
  const heading = el('h1', { id: 'patient-heading' }, 'Patient');
  const subtitle = el('p', { class: 'subtitle' });
  const charts = el('div', { class: 'charts' });
  const thread = messageThread(patientId, { asPatient: false, showMessage: showError });
  const medicines = medicinesSection(patientId, { showMessage: showError });
  const side = el('div', { class: 'patient-side' });
  const rangeButtons = el('div', { class: 'ranges', role: 'group', 'aria-label': 'Time range' });
  const customFrom = el('input', { type: 'datetime-local', 'aria-label': 'From' });
  const customTo = el('input', { type: 'datetime-local', 'aria-label': 'To' });
  main.replaceChildren(
    el('div', { class: 'patient' },
      el('section', { class: 'patient-main', 'aria-labelledby': 'patient-heading' },
        el('p', {}, el('a', { href: '#/' }, '← Ward overview')),
        heading, subtitle, rangeButtons,
        el('form', { class: 'custom-range', onsubmit: (e) => {
          e.preventDefault();
          if (customFrom.value && customTo.value) {
            draw(new Date(customFrom.value).getTime() / 1000, new Date(customTo.value).getTime() / 1000, 'custom');
          }
        } }, el('label', {}, 'From ', customFrom), el('label', {}, ' to ', customTo),
        el('button', { type: 'submit', class: 'secondary' }, 'Show')),
        charts, medicines.section, thread.section, visitsPanel(patientId, { asPatient: false, showMessage: showError })),
      side));

  let patient;
  try {
    patient = await get(`/fhir/Patient/${encodeURIComponent(patientId)}`);
  } catch (e) {
    heading.textContent = e.status === 403 || e.status === 404 ? 'Not one of your patients' : 'Could not open the patient';
    subtitle.textContent = e.message;
    thread.stop();
    thread.section.remove();
    return () => {};
  }
  heading.textContent = nameOf(patient);
  subtitle.textContent = [patient.identifier?.[0]?.value && `MRN ${patient.identifier[0].value}`,
    patient.birthDate && `born ${patient.birthDate}`].filter(Boolean).join(' · ');

  const limits = await get(`/api/v1/patients/${encodeURIComponent(patientId)}/alarm-limits`).catch(() => []);
  const limitsOf = (code) => limits.filter((l) => l.code === code).flatMap((l) => [l.low, l.high]).filter((v) => v !== null);

  async function draw(from, to, label) {
    for (const button of rangeButtons.children) button.setAttribute('aria-pressed', String(button.dataset.range === label));
    charts.replaceChildren(el('p', { class: 'quiet' }, 'Loading…'));
    const fromIso = new Date(from * 1000).toISOString();
    const alarms = await get(`/api/v1/alarms?patient=${encodeURIComponent(patientId)}&max=500`).catch(() => []);
    const alarmTimes = alarms.map((a) => new Date(a.raisedAt).getTime() / 1000).filter((t) => t >= from && t <= to);
    const figures = [];
    for (const code of CHARTED) {
      const codes = code === '8480-6' ? ['8480-6', '8462-4'] : [code];
      const results = await Promise.all(codes.map((c) => observations(patientId, LOINC, c, fromIso)));
      const series = results.map((r, i) => ({
        label: VITALS[codes[i]].short,
        points: r.found.filter((o) => o.valueQuantity).map((o) => [seconds(o), o.valueQuantity.value]).filter((p) => p[0] <= to),
      }));
      if (series.every((s) => s.points.length === 0)) continue;
      const figure = el('figure', { class: 'chart', 'data-code': code });
      const caption = el('figcaption', {}, code === '8480-6' ? 'Blood pressure' : VITALS[code].name,
        results.some((r) => r.truncated) ? ` (newest ${MAX_POINTS.toLocaleString()} readings)` : '');
      figure.append(caption);
      figures.push({ figure, code, series, limits: code === '8480-6' ? [...limitsOf('8480-6'), ...limitsOf('8462-4')] : limitsOf(code) });
    }
    const news2 = await observations(patientId, SNOMED, NEWS2_CODE, fromIso);
    charts.replaceChildren(...figures.map((f) => f.figure));
    for (const f of figures) {
      chart(f.figure, { title: '', unit: VITALS[f.code].unit, series: f.series, limits: f.limits, alarmTimes, from, to });
    }
    if (news2.found.length) {
      const figure = el('figure', { class: 'chart', 'data-code': 'news2' }, el('figcaption', {}, 'NEWS2'));
      charts.append(figure);
      chart(figure, { title: '', unit: 'score', series: [{ label: 'NEWS2', points: news2.found.map((o) => [seconds(o), o.valueInteger]) }], limits: [5, 7], alarmTimes, from, to, stepped: true });
    }
    if (!charts.children.length) charts.replaceChildren(el('p', { class: 'quiet' }, 'No readings in this period.'));
  }

  for (const [label, span] of Object.entries(RANGES)) {
    rangeButtons.append(el('button', { type: 'button', class: 'secondary', 'data-range': label,
      onclick: () => { const now = Date.now() / 1000; draw(now - span, now, label); } }, label));
  }

  function renderSide(latestManual) {
    const acvpu = el('select', { name: 'acvpu', id: 'acvpu' }, ...ACVPU.map((label, i) => el('option', { value: i }, label)));
    const limitRows = ['8867-4', '59408-5', '9279-1', '8480-6', '8310-5'].map((code) => {
      const current = limits.find((l) => l.code === code) || {};
      const low = el('input', { type: 'number', step: 'any', name: 'low', value: current.low ?? '', 'aria-label': `${VITALS[code].name} low limit` });
      const high = el('input', { type: 'number', step: 'any', name: 'high', value: current.high ?? '', 'aria-label': `${VITALS[code].name} high limit` });
      return el('form', { class: 'limit', 'data-code': code, onsubmit: (e) => {
        e.preventDefault();
        put(`/api/v1/patients/${encodeURIComponent(patientId)}/alarm-limits/${code}`, {
          low: low.value === '' ? null : Number(low.value),
          high: high.value === '' ? null : Number(high.value),
          reason: 'set on the patient view',
        }).then((saved) => {
          const i = limits.findIndex((l) => l.code === code);
          if (i >= 0) limits[i] = saved; else limits.push(saved);
          showError(`${VITALS[code].name} limits saved.`, 'info');
        }).catch((err) => showError(`Limits not saved: ${err.message}`));
      } },
      el('span', { class: 'limit-name' }, VITALS[code].short, current.source === 'personal' ? ' (personal)' : current.source === 'ward' ? ' (ward)' : ''),
      low, el('span', { 'aria-hidden': 'true' }, '–'), high,
      el('button', { type: 'submit', class: 'secondary' }, 'Save'));
    });
    side.replaceChildren(
      el('section', { 'aria-labelledby': 'manual-heading' },
        el('h2', { id: 'manual-heading' }, 'Manual observations'),
        latestManual.length
          ? el('ul', { class: 'manual' }, ...latestManual.map((m) => el('li', {}, `${m.label}: ${m.value}`, el('span', { class: 'quiet' }, ` ${age(m.at)}`))))
          : el('p', { class: 'quiet' }, 'None recorded.'),
        el('form', { class: 'enter-acvpu', onsubmit: (e) => {
          e.preventDefault();
          const level = Number(acvpu.value);
          post('/fhir/Observation', {
            resourceType: 'Observation',
            status: 'final',
            category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] }],
            code: { coding: [{ system: LOINC, code: '67775-7' }] },
            subject: { reference: `Patient/${patientId}` },
            effectiveDateTime: new Date().toISOString(),
            valueCodeableConcept: { coding: [{ system: SNOMED, code: ACVPU_SNOMED[level] }] },
          }, 'application/fhir+json')
            .then(() => { showError(`Level of consciousness recorded: ${ACVPU[level]}.`, 'info'); loadManual(); })
            .catch((err) => showError(`Not recorded: ${err.message}`));
        } },
        el('label', { for: 'acvpu' }, 'Level of consciousness (ACVPU)'), acvpu,
        el('button', { type: 'submit' }, 'Record'))),
      el('section', { 'aria-labelledby': 'limits-heading' },
        el('h2', { id: 'limits-heading' }, 'Alarm limits'),
        ...limitRows),
      el('section', { 'aria-labelledby': 'devices-heading' },
        el('h2', { id: 'devices-heading' }, 'Devices'),
        el('ul', { class: 'devices', id: 'device-list' }, el('li', { class: 'quiet' }, 'Loading…'))));
  }

  async function loadManual() {
    const latest = await get(`/fhir/Observation/$lastn?patient=${encodeURIComponent(patientId)}&code=${LOINC}|67775-7,${LOINC}|3151-8&max=1`).catch(() => null);
    const manual = (latest?.entry || []).map((e) => e.resource).map((o) => ({
      label: VITALS[o.code.coding[0].code]?.name || o.code.coding[0].code,
      value: o.valueCodeableConcept
        ? ACVPU[ACVPU_SNOMED.indexOf(o.valueCodeableConcept.coding[0].code)] || o.valueCodeableConcept.coding[0].code
        : format(o.code.coding[0].code, o.valueQuantity?.value),
      at: o.effectiveDateTime,
    }));
    renderSide(manual);
    const devices = await get(`/fhir/Device?patient=${encodeURIComponent(patientId)}`).catch(() => null);
    const list = document.getElementById('device-list');
    if (list) {
      const found = (devices?.entry || []).map((e) => e.resource);
      list.replaceChildren(...(found.length
        ? found.map((d) => el('li', {}, d.deviceName?.[0]?.name || d.id, el('span', { class: 'quiet' }, ` ${d.status || ''}`)))
        : [el('li', { class: 'quiet' }, 'No device assigned.')]));
    }
  }

  await loadManual();
  charts.after(carePlanSection(patientId, showError));
  const stopReview = reviewTimer(patientId);
  const now = Date.now() / 1000;
  await draw(now - RANGES['1h'], now, '1h');
  return () => { thread.stop(); stopReview(); };
}

export { ApiError };
