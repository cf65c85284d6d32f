import { get } from './api.js';

/**
 * The devices of the home as the page knows them, kept live by the hub's event stream. Components
 * listen for 'change' and read `devices`; after every (re)connection the whole list is fetched again,
 * because events sent while the connection was down are gone.
 */
class Home extends EventTarget {
  constructor() {
    super();
    this.devices = new Map();
    this.pairing = null;
    this.connected = false;
    this.socket = null;
    this.retryIn = 1000;
    this.stopped = true;
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    if (this.socket) this.socket.close();
    this.socket = null;
    this.devices.clear();
  }

  async refresh() {
    const list = await get('/api/v1/devices');
    this.devices = new Map(list.map((d) => [d.id, d]));
    this.changed();
  }

  async fetchOne(id) {
    try {
      const device = await get(`/api/v1/devices/${encodeURIComponent(id)}`);
      this.devices.set(device.id, device);
      this.changed({ type: 'device', device });
    } catch (e) {
      // Gone again, or the hub is unreachable: the next event or reconnection sets things right.
    }
  }

  connect() {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${window.location.host}/api/v1/events`);
    this.socket = socket;
    socket.addEventListener('message', (message) => this.apply(JSON.parse(message.data)));
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.connected = false;
      this.changed();
      if (!this.stopped) {
        // Backs off to 30 s so a hub that is restarting is not hammered.
        setTimeout(() => !this.stopped && this.connect(), this.retryIn);
        this.retryIn = Math.min(this.retryIn * 2, 30000);
      }
    });
  }

  apply(event) {
    switch (event.type) {
      case 'hello':
        this.connected = true;
        this.retryIn = 1000;
        this.refresh().catch(() => {});
        return;
      case 'state': {
        const device = this.devices.get(event.id);
        if (!device) {
          this.refresh().catch(() => {});
          return;
        }
        this.devices.set(event.id, { ...device, reported: event.reported, desired: event.desired });
        break;
      }
      case 'availability': {
        const device = this.devices.get(event.id);
        if (device) this.devices.set(event.id, { ...device, online: event.online, lastSeen: event.lastSeen ?? device.lastSeen });
        break;
      }
      case 'device': {
        const known = this.devices.get(event.device.id);
        if (!known) {
          // A newcomer: its state is fetched with it.
          this.fetchOne(event.device.id);
          return;
        }
        this.devices.set(event.device.id, { ...known, ...event.device });
        break;
      }
      case 'removed':
        this.devices.delete(event.id);
        break;
      case 'pairing':
        this.pairing = event;
        break;
      default:
        return;
    }
    this.changed(event);
  }

  changed(event) {
    this.dispatchEvent(new CustomEvent('change', { detail: event }));
  }
}

export const home = new Home();
