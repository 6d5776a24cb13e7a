import { z } from 'zod';

/** Environment variables the server reads. Every one is documented in .env.example. */
const hex32 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'doit être 64 caractères hexadécimaux (32 octets)');
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().default('http://127.0.0.1:3000'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'doit être une URL postgres://'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'doit être une URL redis://').default('redis://127.0.0.1:6379'),
  /** Prefix for every Redis key and BullMQ queue, so several stacks can share one Redis. */
  REDIS_PREFIX: z.string().regex(/^[a-z0-9:_-]+$/i).default('passerelle'),
  SESSION_SECRET: z.string().min(32, 'doit contenir au moins 32 caractères'),
  /** Master key wrapping the per-campaign data keys (AES-256-GCM). */
  MASTER_KEY: hex32,
  MASTER_KEY_ID: z.string().min(1).default('mk1'),
  /** HMAC key for phone-number lookups and dedupe. */
  LOOKUP_HMAC_KEY: hex32,
  TRAINEE_IDLE_TIMEOUT_MIN: z.coerce.number().int().positive().default(15),
  STAFF_IDLE_TIMEOUT_MIN: z.coerce.number().int().positive().default(60),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().positive().default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LOGIN_LOCKOUT_MIN: z.coerce.number().int().positive().default(15),
  LOGIN_RATE_PER_MIN: z.coerce.number().int().positive().default(20),
  /** Trust X-Forwarded-For from these proxies (comma-separated), e.g. the load balancer. */
  TRUST_PROXY: z.string().default(''),
  UPLOAD_MAX_MB: z.coerce.number().int().positive().default(200),
  DATA_DIR: z.string().default('./var/data'),
  SERVE_CONSOLES: bool.default(true),
  RUN_WORKERS: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SITE_TIME_ZONE: z.string().default('America/Guadeloupe'),
  /** A trainee console silent this long is paused (technical) and supervisors alerted. */
  DIALER_HEARTBEAT_TIMEOUT_S: z.coerce.number().int().min(5).default(30),
  /** Sessions behind live sockets are re-checked this often (logout, idle or absolute expiry, seat change). */
  SOCKET_SESSION_RECHECK_S: z.coerce.number().int().min(1).default(60),
  /** Period of the dialer's sweep (expired offers, wrap-up timers, heartbeats, hopper refill). */
  DIALER_TICK_MS: z.coerce.number().int().min(100).default(2000),
  /** Contacts kept ready per campaign and language in the Redis hopper. */
  DIALER_HOPPER_SIZE: z.coerce.number().int().min(1).default(200),
  /** A call still open after this long is closed at reconciliation (lost end event). */
  DIALER_MAX_CALL_MIN: z.coerce.number().int().min(1).default(120),
  /** Tests only: shifts the instant calling windows are judged at (refused in production). */
  DIALER_RULES_CLOCK_OFFSET_MIN: z.coerce.number().int().default(0),
  /** Shared with Kamailio: auth_ephemeral secret and the loopback API key. */
  SIP_AUTH_SECRET: z.string().min(16).default('dev-sip-secret-change-me'),
  // URL-safe: Kamailio sends it as the password of its HTTP connection's URL.
  SIP_API_KEY: z.string().min(16).regex(/^[A-Za-z0-9._~-]+$/, 'caractères admis : A-Z a-z 0-9 . _ ~ -').default('dev-sip-api-key-change-me'),
  SIP_DOMAIN: z.string().default('passerelle.local'),
  SIP_WS_URL: z.string().default('ws://127.0.0.1:8080'),
  /** rtpengine ng control address (UDP, loopback). */
  RTPENGINE_NG: z.string().regex(/^[^:]+:\d+$/, 'doit être hôte:port').default('127.0.0.1:2223'),
  /** rtpengine's recording-dir (pcap spool), read by the recording converter. */
  TELEPHONY_SPOOL_DIR: z.string().default('./var/telephony/recordings'),
  /** Kamailio's binrpc control socket (supervisor hang-up). */
  KAMAILIO_CTL: z.string().default('./var/telephony/kamailio_ctl'),
  /** How long the trainee's console has to hang up a call a supervisor ends before the proxy sends the BYEs. */
  SUPERVISOR_HANGUP_CONSOLE_GRACE_MS: z.coerce.number().int().min(0).max(10_000).default(1500),
  RECORDING_RETENTION_DAYS: z.coerce.number().int().positive().default(183),
  /** Days an evaluation (and reviews, calibrations, practice records) is kept: 1 year by default (CNIL). */
  EVALUATION_RETENTION_DAYS: z.coerce.number().int().positive().max(365).default(365),
  /** Chromium used to print the evidence portfolio as PDF. */
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
});

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(public readonly issues: { variable: string; message: string }[]) {
    super(
      'Configuration invalide :\n' + issues.map((i) => `  - ${i.variable}: ${i.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Parses and validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({
        variable: String(i.path[0] ?? '?'),
        message: i.code === 'invalid_type' && i.input === undefined ? 'variable manquante' : i.message,
      })),
    );
  }
  const cfg = parsed.data;
  if (cfg.NODE_ENV === 'production') {
    for (const name of ['SIP_AUTH_SECRET', 'SIP_API_KEY'] as const) {
      if (cfg[name].startsWith('dev-')) {
        throw new ConfigError([{ variable: name, message: 'valeur de développement interdite en production' }]);
      }
    }
    if (cfg.DIALER_RULES_CLOCK_OFFSET_MIN !== 0) {
      throw new ConfigError([{ variable: 'DIALER_RULES_CLOCK_OFFSET_MIN', message: 'réservé aux tests : doit valoir 0 en production' }]);
    }
  }
  return cfg;
}

/** Names of config keys never to print. */
export const secretConfigKeys = ['SESSION_SECRET', 'MASTER_KEY', 'LOOKUP_HMAC_KEY', 'SIP_AUTH_SECRET', 'SIP_API_KEY', 'DATABASE_URL'] as const;
