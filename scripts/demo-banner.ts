/** Prints the demo's URLs and logins (called by scripts/demo.sh once the server is ready). */
import { loadConfig } from '../server/src/config.ts';
import { DEMO_PASSWORD, DEMO_USERS, demoSeatRanges } from './lib/demo-data.ts';
import { loadDotEnv } from './lib/env.ts';

loadDotEnv();
const config = loadConfig();
// PUBLIC_URL when set; otherwise the local address the demo server listens on.
const base = (process.env.PUBLIC_URL ?? `http://127.0.0.1:${config.PORT}`).replace(/\/$/, '');
const roleLabel = { admin: 'administrateur', trainer: 'formateur', trainee: 'stagiaire', partner: 'partenaire' } as const;
const telephony = process.argv.includes('--telephony');

const rows: [string, string][] = [
  ['Console agent (stagiaires)', `${base}/agent/`],
  ['Console superviseur', `${base}/supervisor/`],
  ['API (OpenAPI)', `${base}/docs`],
  ['Métriques Prometheus', `${base}/metrics`],
  ['État (Postgres, Redis)', `${base}/readyz`],
];
if (telephony) rows.push(['SIP WebSocket (Kamailio)', config.SIP_WS_URL]);

const line = '─'.repeat(78);
const out: string[] = [line, ' Passerelle est démarré (démonstration)', line];
for (const [label, url] of rows) out.push(`  ${label.padEnd(28)} ${url}`);
out.push('', `  Identifiants de démonstration — mot de passe commun : ${DEMO_PASSWORD}`, '');
out.push(`  ${'identifiant'.padEnd(14)} ${'rôle'.padEnd(15)} ${'nom affiché'.padEnd(25)} console`);
for (const u of DEMO_USERS) {
  out.push(`  ${u.username.padEnd(14)} ${roleLabel[u.role].padEnd(15)} ${u.displayName.padEnd(25)} ${base}/${u.console}/`);
}
out.push(
  '',
  `  Les stagiaires ne peuvent se connecter que depuis les postes : ${demoSeatRanges().join(', ')}`,
  '  (DEMO_SEAT_RANGES dans .env, puis npm run demo, pour ajouter un réseau de salle).',
  '',
  '  Journaux : var/log/server.log   Arrêter : npm run demo -- --stop',
  line,
);
console.log(out.join('\n'));
