// The demo's certificate part: the built-in renewal schedule with its next run, and the fleet's
// certificate report after the simulator aged one node's certificate to 10 days.

/**
 * `api(method, path, body)` calls the demo's API; `waitStopped(upids)` waits for tasks; `say` prints.
 * Returns the lines to try next.
 */
export async function certificateDemo({ api, waitStopped, say, base, auth, control, node }) {
  // The seed's certificates have 60 days left: 50 days back leaves 10. The facts read sees it.
  const aged = await fetch(`${control}/nodes/${node}/age-certificate`, { method: 'POST', body: JSON.stringify({ days: 50 }) });
  if (!aged.ok) throw new Error(`ageing ${node}'s certificate: ${await aged.text()}`);
  const facts = await api('POST', `/nodes/${node}/tasks`, { type: 'facts' });
  await waitStopped([facts.body.upid]);

  const schedules = (await api('GET', '/schedules?limit=1000')).body.data ?? [];
  const renewal = schedules.find((s) => s.builtin === 'certificate-renewal');
  const report = (await api('GET', '/certificates?sort=daysLeft&limit=10')).body;
  say('');
  if (renewal) {
    const next = renewal.nextRuns?.[0];
    say(
      `certificate renewal: schedule ${renewal.id} '${renewal.name}' (${renewal.cron} ${renewal.timezone}, spread ${renewal.spread} min, ` +
        `${renewal.enabled ? `next run ${next?.at ?? '?'}` : 'paused'})`,
    );
  } else say('certificate renewal: the built-in schedule is missing (see the API log)');
  say('certificates, fewest days left first:');
  for (const c of report.data) {
    say(
      `  ${c.node.padEnd(6)} ${String(c.daysLeft ?? '-').padStart(4)} days  until ${c.notAfter?.slice(0, 10) ?? '-'}  ` +
        `${(c.fingerprint ?? '-').slice(0, 23)}…${c.previousFingerprint ? '  (changed)' : ''}`,
    );
  }
  return [
    `Certificates: the report (sortable, filterable: ?maxDays=30, ?label=…), as CSV, and the renewal schedule:`,
    `  curl -s '${base}/api/v1/certificates?maxDays=30' -H '${auth}'`,
    `  curl -s '${base}/api/v1/certificates?format=csv' -H '${auth}'`,
    `  curl -s ${base}/api/v1/schedules/${renewal?.id ?? '<id>'} -H '${auth}'`,
  ];
}
