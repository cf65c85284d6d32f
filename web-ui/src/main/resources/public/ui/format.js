// How state values read to a homeowner: labels, units, yes/no words, times.

const LABELS = {
  on: 'Power', brightness: 'Brightness', colorTemp: 'Colour temperature', temperature: 'Temperature',
  humidity: 'Humidity', pressure: 'Pressure', illuminance: 'Light level', contact: 'Door or window',
  occupancy: 'Motion', water: 'Leak', power: 'Power use', energy: 'Energy used', voltage: 'Voltage',
  current: 'Current', gas: 'Gas used', battery: 'Battery', linkQuality: 'Signal',
};

/** The state vocabulary's units, for devices that describe a key without one. */
const UNITS = {
  brightness: '%', colorTemp: 'mired', temperature: '°C', humidity: '%', pressure: 'hPa', illuminance: 'lx',
  power: 'W', energy: 'kWh', voltage: 'V', current: 'A', gas: 'm³', battery: '%',
};

const BOOLEAN_WORDS = {
  on: ['Off', 'On'], contact: ['Open', 'Closed'], occupancy: ['No motion', 'Motion'],
  water: ['Dry', 'Leak!'],
};

/** "temperature_2" → ["temperature", 2]: devices with several parts number their keys. */
export function splitKey(key) {
  const match = /^(.*)_(\d+)$/.exec(key);
  return match ? [match[1], Number(match[2])] : [key, 1];
}

export function label(key) {
  const [base, part] = splitKey(key);
  const words = LABELS[base] || base;
  return part > 1 ? `${words} ${part}` : words;
}

export function capability(device, key) {
  return (device.capabilities || []).find((c) => c.key === key) || { key };
}

export function formatValue(device, key, value) {
  if (value === undefined || value === null) return '—';
  const [base] = splitKey(key);
  if (typeof value === 'boolean') {
    const words = BOOLEAN_WORDS[base] || ['No', 'Yes'];
    return words[value ? 1 : 0];
  }
  if (typeof value === 'number') {
    const unit = unitOf(device, key);
    // Two decimals below 10, one above, without trailing zeros: 21.35, 21.4, 100 (never "100.").
    const shown = Number.isInteger(value) ? String(value) : String(Number(value.toFixed(Math.abs(value) < 10 ? 2 : 1)));
    return unit ? `${shown} ${unit}` : shown;
  }
  return String(value);
}

export function unitOf(device, key) {
  return capability(device, key).unit ?? UNITS[splitKey(key)[0]] ?? '';
}

export function isWritable(device, key) {
  return capability(device, key).access === 'write';
}

export function valueType(device, key) {
  const cap = capability(device, key);
  if (cap.type) return cap.type;
  const value = device.reported?.[key];
  return typeof value === 'boolean' ? 'boolean' : typeof value === 'number' ? 'number' : 'other';
}

/** Every state key the device has or reports, in a stable order. */
export function keysOf(device) {
  const keys = (device.capabilities || []).map((c) => c.key);
  for (const key of Object.keys(device.reported || {})) if (!keys.includes(key)) keys.push(key);
  return keys;
}

export function ago(iso) {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleString();
}

export const NO_ROOM = 'Not in a room';

export function byRoom(devices) {
  const rooms = new Map();
  for (const device of devices) {
    const room = device.room || NO_ROOM;
    if (!rooms.has(room)) rooms.set(room, []);
    rooms.get(room).push(device);
  }
  return [...rooms.entries()].sort(([a], [b]) => (a === NO_ROOM) - (b === NO_ROOM) || a.localeCompare(b));
}
