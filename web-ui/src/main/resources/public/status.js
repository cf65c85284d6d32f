const words = { UP: 'working', STARTING: 'starting', DEGRADED: 'working, with a problem',
                DISABLED: 'turned off', STOPPING: 'stopping', DOWN: 'not working' };
function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text;
  if (cls) td.className = 'status ' + cls;
}
async function refresh() {
  const overall = document.getElementById('overall');
  try {
    const report = await (await fetch('/api/v1/health', { cache: 'no-store' })).json();
    overall.textContent = words[report.status] ?? report.status;
    overall.className = 'status ' + report.status;
    const body = document.getElementById('components');
    body.replaceChildren();
    for (const [name, health] of Object.entries(report.components ?? {})) {
      const row = body.insertRow();
      cell(row, name);
      cell(row, words[health.status] ?? health.status, health.status);
      cell(row, health.message ?? '');
    }
    document.getElementById('meta').textContent = `Version ${report.version}, up ${report.uptimeSeconds} s`;
  } catch (e) {
    overall.textContent = 'unreachable — is the hub running?';
    overall.className = 'status DOWN';
  }
}
refresh();
setInterval(refresh, 5000);
