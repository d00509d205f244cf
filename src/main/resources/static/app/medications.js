// Medicines at home: on the patient view, the patient's schedules (FHIR MedicationRequest) with
// this week's adherence, a form to prescribe one and a button to stop one; in the portal, the
// patient's reminders with "I took it" / "I skipped it" and the week in plain words.
// Times of day are in the patient's time zone, which the adherence answer names.

import { get, post, put } from './api.js';
import { el } from './dom.js';

const WEEK_MS = 7 * 86400 * 1000;

const OUTCOME_WORDS = {
  'on-time': 'taken on time',
  late: 'taken late',
  missed: 'missed',
  due: 'due now',
  upcoming: 'coming up',
};

const percent = (value) => (value === null || value === undefined ? null : `${value.toFixed(1)} %`);

function clock(iso, zone) {
  return new Date(iso).toLocaleString([], { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit' });
}

async function adherence(patientId) {
  const to = new Date();
  const from = new Date(to.getTime() - WEEK_MS);
  const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
  return get(`/api/v1/patients/${encodeURIComponent(patientId)}/adherence?${query}`);
}

/** One medicine's week in words; nothing due is said as such, never as "100 %". */
function sentence(medicine, asPatient) {
  const r = medicine.rates;
  if (medicine.asNeeded) {
    const n = medicine.asNeededTaken.length;
    return `${medicine.medication} is taken when needed: ${n === 0 ? 'not taken' : `taken ${n} time${n > 1 ? 's' : ''}`} this week.`;
  }
  const decided = r.onTime + r.late + r.missed;
  if (decided === 0) return `${medicine.medication}: no doses were due this week yet.`;
  const who = asPatient ? 'You took' : 'Taken';
  return `${medicine.medication}: ${who} ${r.onTime} of ${decided} dose${decided > 1 ? 's' : ''} on time this week (${percent(r.onTimePercent)})`
    + `${r.late ? `, ${r.late} late` : ''}${r.missed ? `, ${r.missed} missed` : ''}.`;
}

function prescribeForm(patientId, onDone, showMessage) {
  const name = el('input', { id: 'med-name', name: 'medication', required: true, maxlength: '200' });
  const dose = el('input', { id: 'med-dose', name: 'dose', maxlength: '200', placeholder: '1 tablet' });
  const times = el('input', { id: 'med-times', name: 'times', placeholder: '08:00, 20:00' });
  const asNeeded = el('input', { id: 'med-prn', name: 'asNeeded', type: 'checkbox' });
  const compartment = el('input', { id: 'med-compartment', name: 'compartment', type: 'number', min: '0', max: '1000' });
  // the first day: from midnight in the patient's time zone (the server reads a date so)
  const today = new Date();
  const starting = el('input', { id: 'med-start', name: 'start', type: 'date', required: true,
    value: `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}` });
  return el('form', { class: 'prescribe', onsubmit: (e) => {
    e.preventDefault();
    const timeOfDay = times.value.split(',').map((t) => t.trim()).filter(Boolean)
      .map((t) => (/^\d{1,2}:\d{2}$/.test(t) ? `${t.padStart(5, '0')}:00` : t));
    const dosage = { text: dose.value.trim() || undefined };
    if (asNeeded.checked) dosage.asNeededBoolean = true;
    dosage.timing = { repeat: { boundsPeriod: { start: starting.value } } };
    if (!asNeeded.checked) dosage.timing.repeat.timeOfDay = timeOfDay;
    const resource = {
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${patientId}` },
      medicationCodeableConcept: { text: name.value.trim() },
      dosageInstruction: [dosage],
    };
    if (compartment.value !== '') {
      resource.extension = [{ url: 'https://vigil.health/fhir/StructureDefinition/dispenser-compartment', valueInteger: Number(compartment.value) }];
    }
    post('/fhir/MedicationRequest', resource, 'application/fhir+json')
      .then(() => { showMessage(`${name.value.trim()} prescribed.`, 'info'); e.target.reset(); onDone(); })
      .catch((err) => showMessage(`Not prescribed: ${err.message}`));
  } },
  el('label', { for: 'med-name' }, 'Medicine'), name,
  el('label', { for: 'med-dose' }, 'Dose'), dose,
  el('label', { for: 'med-times' }, 'Times of day'), times,
  el('label', { class: 'inline', for: 'med-prn' }, asNeeded, ' As needed'),
  el('label', { for: 'med-compartment' }, 'Dispenser compartment'), compartment,
  el('label', { for: 'med-start' }, 'Starting'), starting,
  el('button', { type: 'submit' }, 'Add medicine'));
}

async function stop(id, showMessage, onDone) {
  const request = await get(`/fhir/MedicationRequest/${encodeURIComponent(id)}`);
  request.status = 'stopped';
  await put(`/fhir/MedicationRequest/${encodeURIComponent(id)}`, request, 'application/fhir+json')
    .then(() => { showMessage(`${request.medicationCodeableConcept?.text} stopped.`, 'info'); onDone(); })
    .catch((err) => showMessage(`Not stopped: ${err.message}`));
}

/** The patient view's "Medicines" section, for nurses and clinicians. */
export function medicinesSection(patientId, { showMessage }) {
  const list = el('div', { class: 'medicines', id: 'medicine-list' }, el('p', { class: 'quiet' }, 'Loading…'));
  async function refresh() {
    let week;
    try {
      week = await adherence(patientId);
    } catch (e) {
      list.replaceChildren(el('p', { class: 'quiet' }, `Medicines could not be read: ${e.message}`));
      return;
    }
    const active = week.medications.filter((m) => m.status === 'active');
    const overall = week.overall;
    list.replaceChildren(
      active.length
        ? el('ul', {}, ...active.map((m) => el('li', { 'data-medication-request': m.medicationRequest },
          el('strong', {}, m.medication), m.dose ? ` — ${m.dose}` : '',
          el('span', { class: 'quiet' }, m.asNeeded ? ' as needed' : ` at ${m.timesOfDay.map((t) => t.slice(0, 5)).join(', ')} (${week.timeZone})`),
          el('p', { class: 'plain' }, sentence(m, false)),
          m.rates.pdcPercent !== null ? el('p', { class: 'quiet' }, `Days covered: ${percent(m.rates.pdcPercent)}`) : null,
          el('button', { type: 'button', class: 'secondary', onclick: () => stop(m.medicationRequest.split('/')[1], showMessage, refresh) }, 'Stop'))))
        : el('p', { class: 'quiet' }, 'No medicines prescribed for home.'),
      overall.onTimePercent !== null
        ? el('p', { class: 'adherence-overall' }, `All medicines this week: ${percent(overall.onTimePercent)} of doses on time, ${percent(overall.pdcPercent) ?? 'no whole days'} of days covered.`)
        : null);
  }
  const section = el('section', { 'aria-labelledby': 'medicines-heading' },
    el('h2', { id: 'medicines-heading' }, 'Medicines'), list, prescribeForm(patientId, refresh, showMessage));
  refresh();
  return { section, refresh };
}

/** The portal's "Your medicines": reminders to act on, and the week in words. */
export function yourMedicines(patientId, { showMessage }) {
  const reminders = el('div', { class: 'reminders', id: 'medication-reminders', 'aria-live': 'polite' });
  const week = el('div', { id: 'medication-week' });
  const base = `/api/v1/patients/${encodeURIComponent(patientId)}`;
  async function report(reminder, taken) {
    try {
      await post(`${base}/medications/${encodeURIComponent(reminder.medicationRequest.split('/')[1])}/reports`, { taken });
      await post(`${base}/medication-reminders/${reminder.id}/dismiss`);
      showMessage(taken ? `Thank you: ${reminder.medication} taken.` : `Noted: ${reminder.medication} skipped.`, 'info');
    } catch (e) {
      showMessage(`Not recorded: ${e.message}`);
    }
    refresh();
  }
  async function refresh() {
    const [sent, judged] = await Promise.all([get(`${base}/medication-reminders`).catch(() => []), adherence(patientId).catch(() => null)]);
    const open = sent.filter((r) => !r.dismissed && r.outcome === 'due');
    reminders.replaceChildren(...open.map((r) => el('div', { class: 'reminder', role: 'status', 'data-reminder': r.id },
      el('p', {}, `Time for your ${r.medication}${r.dose ? ` (${r.dose})` : ''}: it was due at ${clock(r.dueAt, judged?.timeZone || 'UTC')}.`),
      el('button', { type: 'button', onclick: () => report(r, true) }, 'I took it'),
      el('button', { type: 'button', class: 'secondary', onclick: () => report(r, false) }, 'I skipped it'))));
    if (!judged) {
      week.replaceChildren(el('p', { class: 'quiet' }, 'Your medicines could not be read just now.'));
      return;
    }
    const active = judged.medications.filter((m) => m.status === 'active');
    week.replaceChildren(...(active.length
      ? active.map((m) => el('p', { class: 'plain' }, sentence(m, true)))
      : [el('p', { class: 'quiet' }, 'No medicines from your care team.')]));
  }
  const section = el('section', { 'aria-labelledby': 'your-medicines-heading' },
    el('h2', { id: 'your-medicines-heading' }, 'Your medicines'), reminders, week);
  refresh();
  const timer = setInterval(refresh, 20_000);
  return { section, stop: () => clearInterval(timer) };
}
