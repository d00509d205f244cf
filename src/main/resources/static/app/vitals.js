// What each vital sign is called on a ward, and how its value is written.

export const LOINC = 'http://loinc.org';

export const VITALS = {
  '8867-4': { short: 'HR', name: 'Heart rate', unit: '/min', digits: 0 },
  '59408-5': { short: 'SpO₂', name: 'Oxygen saturation', unit: '%', digits: 0 },
  '9279-1': { short: 'RR', name: 'Respiratory rate', unit: '/min', digits: 0 },
  '8480-6': { short: 'Sys', name: 'Systolic blood pressure', unit: 'mmHg', digits: 0 },
  '8462-4': { short: 'Dia', name: 'Diastolic blood pressure', unit: 'mmHg', digits: 0 },
  '8310-5': { short: 'Temp', name: 'Body temperature', unit: '°C', digits: 1 },
  '67775-7': { short: 'ACVPU', name: 'Level of consciousness', unit: '', digits: 0 },
  '3151-8': { short: 'O₂', name: 'Supplemental oxygen', unit: 'L/min', digits: 0 },
  '41653-7': { short: 'Gluc', name: 'Capillary blood glucose', unit: 'mg/dL', digits: 0 },
};

/** Charted on the patient view, in this order. */
export const CHARTED = ['8867-4', '59408-5', '9279-1', '8480-6', '8310-5', '41653-7'];

export const ACVPU = ['Alert', 'New confusion', 'Voice', 'Pain', 'Unresponsive'];

/** A reading older than this is shown as stale, not as the patient's current value. */
export const STALE_AFTER_MS = 15 * 60 * 1000;

export function format(code, value) {
  if (value === null || value === undefined) return '—';
  if (code === '67775-7') return ACVPU[Math.round(value)] ?? String(value);
  if (code === '3151-8') return value === 0 ? 'Air' : `${value.toFixed(0)} L/min`;
  const digits = VITALS[code]?.digits ?? 1;
  return value.toFixed(digits);
}

export function age(instant, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - new Date(instant).getTime()) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

export const BAND_LABEL = {
  low: 'Low',
  'low-medium': 'Low–medium',
  medium: 'Medium',
  high: 'High',
};
