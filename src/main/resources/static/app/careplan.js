// Chronic care in the web app: the patient's plain-language summaries against their own targets
// (portal), and for staff a "Care plan" section with the targets, the figures, the AGP glucose
// profile, the program report and the clinician's editor; the patient view logs review time while
// it is open and visible. Every figure comes from /api/v1/patients/{id}/care-*: nothing is worked
// out here, so the portal says exactly what the API and the report say.

import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { get, put, post, download } from './api.js';
import { session } from './auth.js';
import { el } from './dom.js';

const path = (patientId, what) => `/api/v1/patients/${encodeURIComponent(patientId)}/${what}`;
const PROGRAMS = [['diabetes', 'Diabetes'], ['hypertension', 'Hypertension'], ['heart-failure', 'Heart failure'], ['copd', 'COPD']];
const one = (v) => (v === null || v === undefined ? '–' : v.toFixed(1));
const whole = (v) => (v === null || v === undefined ? '–' : String(Math.round(v)));

/** The patient's care plan, or null when they have none (404). */
async function planOf(patientId) {
  try {
    return await get(path(patientId, 'care-plan'));
  } catch (e) {
    if (e.status === 404) return null;
    throw e;
  }
}

/** The portal's section: one sentence per part of the plan, marked by how it stands. */
export async function carePlanSummary(patientId) {
  const plan = await planOf(patientId).catch(() => null);
  if (!plan) return null;
  const metrics = await get(path(patientId, 'care-metrics'));
  return el('section', { class: 'care-summary', 'aria-labelledby': 'care-heading' },
    el('h2', { id: 'care-heading' }, 'Your care plan'),
    ...metrics.summaries.map((s) => el('p', { class: `plain care-${s.status}`, 'data-topic': s.topic, 'data-status': s.status }, s.text)));
}

/** The figures of the last 14 days (glucose) and 7 days (blood pressure, weight, SpO2). */
function figures(plan, m) {
  const g = m.glucose;
  const rows = [];
  if (g.readings > 0 || plan.programs.includes('diabetes')) {
    rows.push(['Glucose, 14 days', g.readings === 0 ? 'no readings'
      : `TIR ${one(g.tir)} % · TBR <70 ${one(g.tbr70)} %, <54 ${one(g.tbr54)} % · TAR >180 ${one(g.tar180)} %, >250 ${one(g.tar250)} % · mean ${whole(g.mean)} mg/dL · GMI ${one(g.gmi)} % · CV ${one(g.cv)} %`
        + ` · ${g.readings} of ${g.expectedReadings} readings (${one(g.capturePercent)} %)${g.sufficient ? '' : ' — insufficient data, at least 70 % needed'}`]);
  }
  const bp = m.bloodPressure;
  if (bp.readings > 0 || plan.programs.includes('hypertension')) {
    rows.push(['Home blood pressure (ESH)', bp.readings === 0 ? 'no readings'
      : `${whole(bp.systolic)}/${whole(bp.diastolic)} mmHg from ${bp.readings} readings on ${bp.days} days${bp.sufficient ? '' : ' — too few to judge (12 readings on 3 days)'}`]);
  }
  const w = m.weight;
  if (w.latestKg !== null || plan.programs.includes('heart-failure')) {
    rows.push(['Weight', w.latestKg === null ? 'no readings'
      : `${one(w.latestKg)} kg on ${w.latestDay}${w.gainKg !== null ? ` · ${one(w.gainKg)} kg over ${plan.targets.weightGainDays} days${w.gainExceeded ? ' — more than the rule' : ''}` : ''}`]);
  }
  const o = m.oxygen;
  if (o.readings > 0 || plan.programs.includes('copd')) {
    rows.push(['SpO2, 7 days', o.readings === 0 ? 'no readings'
      : `median ${whole(o.median)} % · ${whole(o.inRangePercent)} % in ${plan.targets.spo2Low}–${plan.targets.spo2High} %${o.trends.length ? ` · trends (heuristic): ${o.trends.join(', ')}` : ''}`]);
  }
  return el('dl', { class: 'care-figures' }, ...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

function targetsText(plan) {
  const t = plan.targets;
  return [
    `Blood pressure below ${t.bpSystolicBelow}/${t.bpDiastolicBelow} mmHg`,
    `glucose ${t.glucoseLow}–${t.glucoseHigh} mg/dL more than ${t.tirGoalPercent} % of the time`,
    t.targetWeightKg ? `weight ${t.targetWeightKg} kg` : null,
    `weight gain alarm above ${t.weightGainKg} kg in ${t.weightGainDays} days`,
    `SpO2 ${t.spo2Low}–${t.spo2High} %`,
  ].filter(Boolean).join(' · ');
}

/** The AGP: median and the 25–75 and 5–95 % bands by hour of day, as uPlot bands. */
async function profileChart(container, patientId) {
  const profile = await get(path(patientId, 'glucose-profile?binMinutes=60'));
  const hours = profile.bins.map((b, i) => i + 0.5);
  const col = (k) => profile.bins.map((b) => b[k]);
  container.dataset.bins = String(profile.bins.filter((b) => b.median !== null).length);
  const width = Math.max(280, container.clientWidth || 600);
  return new uPlot({
    width,
    height: 200,
    scales: { x: { time: false, range: [0, 24] }, y: { range: [40, 350] } },
    axes: [{ label: `hour of day (${profile.timeZone})`, values: (u, ticks) => ticks.map((t) => `${t}:00`) }, { label: 'mg/dL', size: 56 }],
    series: [{},
      { label: '5 %', stroke: '#9db8d9', width: 1 },
      { label: '25 %', stroke: '#4f84c4', width: 1 },
      { label: 'median', stroke: '#0b5cad', width: 2.5 },
      { label: '75 %', stroke: '#4f84c4', width: 1 },
      { label: '95 %', stroke: '#9db8d9', width: 1 }],
    bands: [{ series: [5, 1], fill: 'rgba(11,92,173,0.10)' }, { series: [4, 2], fill: 'rgba(11,92,173,0.22)' }],
  }, [hours, col('p5'), col('p25'), col('median'), col('p75'), col('p95')], container);
}

function editor(patientId, plan, onSaved, showMessage) {
  const t = plan?.targets || {};
  const field = (name, label, value, attrs = {}) => el('label', {}, `${label} `,
    el('input', { name, type: 'number', step: 'any', value: value ?? '', ...attrs }));
  const form = el('form', { class: 'care-editor', onsubmit: (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const number = (k) => (data.get(k) === '' ? null : Number(data.get(k)));
    const body = {
      programs: PROGRAMS.map(([code]) => code).filter((code) => data.get(`program-${code}`)),
      timeZone: data.get('timeZone') || 'UTC',
      targets: {
        bpSystolicBelow: number('bpSystolicBelow'), bpDiastolicBelow: number('bpDiastolicBelow'),
        glucoseLow: number('glucoseLow'), glucoseHigh: number('glucoseHigh'), tirGoalPercent: number('tirGoalPercent'),
        targetWeightKg: number('targetWeightKg'), weightGainKg: number('weightGainKg'), weightGainDays: number('weightGainDays'),
        spo2Low: number('spo2Low'), spo2High: number('spo2High'),
      },
    };
    put(path(patientId, 'care-plan'), body)
      .then(() => { showMessage('Care plan saved.', 'info'); onSaved(); })
      .catch((err) => showMessage(`Care plan not saved: ${err.message}`));
  } },
  el('fieldset', {}, el('legend', {}, 'Programs'),
    ...PROGRAMS.map(([code, label]) => el('label', {}, el('input', { type: 'checkbox', name: `program-${code}`, checked: plan?.programs.includes(code) }), ` ${label}`))),
  el('label', {}, 'Home time zone ', el('input', { name: 'timeZone', value: plan?.timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone })),
  field('bpSystolicBelow', 'BP below (systolic)', t.bpSystolicBelow), field('bpDiastolicBelow', '/ diastolic', t.bpDiastolicBelow),
  field('glucoseLow', 'Glucose from', t.glucoseLow), field('glucoseHigh', 'to (mg/dL)', t.glucoseHigh),
  field('tirGoalPercent', 'Time in range goal (%)', t.tirGoalPercent),
  field('targetWeightKg', 'Target weight (kg)', t.targetWeightKg),
  field('weightGainKg', 'Weight gain alarm above (kg)', t.weightGainKg), field('weightGainDays', 'in days', t.weightGainDays, { step: '1' }),
  field('spo2Low', 'SpO2 from', t.spo2Low), field('spo2High', 'to (%)', t.spo2High),
  el('p', { class: 'quiet' }, 'Empty targets take the defaults (docs/CHRONIC-CARE.md). COPD sets NEWS2 SpO2 scale 2.'),
  el('button', { type: 'submit' }, plan ? 'Save care plan' : 'Start care plan'));
  return form;
}

async function saveReport(patientId, format) {
  const blob = await download(path(patientId, format === 'pdf' ? 'program-report.pdf' : 'program-report'));
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: `program-report-${patientId}.${format}` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/** The staff's "Care plan" section of the patient view. */
export function carePlanSection(patientId, showMessage) {
  const section = el('section', { class: 'care-plan', 'aria-labelledby': 'care-plan-heading' },
    el('h2', { id: 'care-plan-heading' }, 'Care plan'));
  const clinician = session()?.role === 'clinician';
  async function load() {
    const plan = await planOf(patientId).catch((e) => { showMessage(`Care plan: ${e.message}`); return null; });
    const parts = [el('h2', { id: 'care-plan-heading' }, 'Care plan')];
    if (!plan) {
      parts.push(el('p', { class: 'quiet' }, 'No care plan.'));
    } else {
      const metrics = await get(path(patientId, 'care-metrics'));
      parts.push(
        el('p', { class: 'care-programs' }, plan.programs.length ? plan.programs.join(', ') : 'no programs', plan.status === 'active' ? '' : ' (revoked)'),
        el('p', { class: 'quiet care-targets' }, targetsText(plan)),
        figures(plan, metrics),
        el('ul', { class: 'care-words' }, ...metrics.summaries.map((s) => el('li', { 'data-topic': s.topic }, s.text))));
      if (plan.programs.includes('diabetes') || metrics.glucose.readings > 0) {
        const agp = el('figure', { class: 'chart agp' }, el('figcaption', {}, 'Glucose profile, 14 days (median, 25–75 % and 5–95 %)'));
        parts.push(agp);
        setTimeout(() => profileChart(agp, patientId).catch((e) => showMessage(`Glucose profile: ${e.message}`)), 0);
      }
      parts.push(el('p', { class: 'care-report' },
        el('button', { type: 'button', class: 'secondary', id: 'report-pdf', onclick: () => saveReport(patientId, 'pdf').catch((e) => showMessage(`Report: ${e.message}`)) }, 'Program report (PDF)'),
        ' ',
        el('button', { type: 'button', class: 'secondary', id: 'report-html', onclick: () => saveReport(patientId, 'html').catch((e) => showMessage(`Report: ${e.message}`)) }, 'Program report (HTML)')));
    }
    if (clinician) parts.push(el('details', {}, el('summary', {}, plan ? 'Change the care plan' : 'Start a care plan'), editor(patientId, plan, load, showMessage)));
    section.replaceChildren(...parts);
  }
  load();
  return section;
}

/**
 * Logs the time the patient view is open and visible as review time (remote-monitoring programs
 * count it), in pieces of at most five minutes. Returns the function that stops it.
 */
export function reviewTimer(patientId) {
  let since = document.visibilityState === 'visible' ? Date.now() : null;
  const flush = () => {
    if (since === null) return;
    const seconds = Math.min(3600, Math.round((Date.now() - since) / 1000));
    const startedAt = new Date(since).toISOString();
    since = document.visibilityState === 'visible' ? Date.now() : null;
    if (seconds >= 1) post(path(patientId, 'review-time'), { startedAt, seconds }).catch(() => {});
  };
  const visibility = () => {
    if (document.visibilityState === 'visible') since = since ?? Date.now();
    else flush();
  };
  document.addEventListener('visibilitychange', visibility);
  const every = setInterval(flush, 5 * 60 * 1000);
  return () => {
    clearInterval(every);
    document.removeEventListener('visibilitychange', visibility);
    flush();
  };
}
