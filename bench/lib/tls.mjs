// Section tls: SET and GET -P 16 over TLS, reddish against redis-server,
// both configured alike (the same certificates, client certificates
// required, TLSv1.2 and TLSv1.3, default ciphers) and both driven by
// redis-benchmark --tls. Each server also listens on a plain port, used
// only to start it and to prepare the keys.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { compare } from './rb.mjs';
import { Server, freePorts } from './servers.mjs';
import { prepState, RAND_RANGE } from './throughput.mjs';
import { textTable, fmtInt, fmtRatio } from './report.mjs';

/** A CA, and a server and a client certificate it signed, as Redis's utils/gen-test-certs.sh makes them. */
function makeCertificates(dir) {
  const openssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  openssl('genrsa', '-out', 'ca.key', '2048');
  openssl('req', '-x509', '-new', '-nodes', '-sha256', '-key', 'ca.key', '-days', '30', '-subj', '/O=reddish bench/CN=ca', '-out', 'ca.crt');
  for (const [name, ext] of [['server', 'subjectAltName = IP:127.0.0.1\n'], ['client', 'extendedKeyUsage = clientAuth\n']]) {
    writeFileSync(join(dir, `${name}.ext`), `keyUsage = digitalSignature, keyEncipherment\n${ext}`);
    openssl('genrsa', '-out', `${name}.key`, '2048');
    openssl('req', '-new', '-sha256', '-subj', `/O=reddish bench/CN=${name}`, '-key', `${name}.key`, '-out', `${name}.csr`);
    openssl('x509', '-req', '-sha256', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '30',
      '-in', `${name}.csr`, '-extfile', `${name}.ext`, '-out', `${name}.crt`);
  }
  return { ca: join(dir, 'ca.crt'), cert: join(dir, 'server.crt'), key: join(dir, 'server.key'), clientCert: join(dir, 'client.crt'), clientKey: join(dir, 'client.key') };
}

export async function runTls(ctx) {
  const { opts, print, bars } = ctx;
  const section = 'tls';
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    for (const id of ['SET', 'GET']) bars.skipSection(section, `${id} -P 16 over TLS reddish/redis`, '>=', 0.6, 'no openssl to make certificates');
    return { skipped: 'no openssl' };
  }
  const dir = mkdtempSync(join(os.tmpdir(), 'reddish-bench-tls-'));
  const certs = makeCertificates(dir);
  const [redisPort, redisTls, reddishPort, reddishTls] = await freePorts(4, opts.portRange);
  const tlsArgs = `--tls-cert-file ${certs.cert} --tls-key-file ${certs.key} --tls-ca-cert-file ${certs.ca}`;
  const redis = new Server('redis-tls', `${opts.redisCmd} --tls-port ${redisTls} ${tlsArgs}`, redisPort, ctx.redis.cwd);
  const reddish = new Server('reddish-tls', `${opts.reddishCmd} --tls-port ${reddishTls} ${tlsArgs}`, reddishPort, ctx.reddish.cwd);
  // The section's own pair of servers, started with TLS; the section's main pair sits idle meanwhile.
  const variants = [
    { label: 'redis', server: redis, tlsPort: redisTls },
    { label: 'reddish', server: reddish, tlsPort: reddishTls },
  ];
  try {
    await redis.start();
    await reddish.start();
    const P = 16;
    print(`\n== TLS: SET and GET -P ${P} over TLS, -c ${opts.clients}, -r ${RAND_RANGE}, median of ${opts.rounds} round(s); client certificates required on both`);
    const tests = ['SET', 'GET'].map((id) => ({
      id,
      spec: { t: id.toLowerCase() },
      probeN: 50000,
      minN: 20000,
      prep: (v, n) => prepState(v.server, id, n, opts.clients * P),
    }));
    // compare() runs redis-benchmark against `server.port`: point it at the TLS ports.
    const measured = await compare({
      tests,
      variants: variants.map((v) => ({ label: v.label, server: { port: v.tlsPort, pid: v.server.pid, client: () => v.server.client(), name: v.label } })),
      P, c: opts.clients, r: RAND_RANGE, rounds: opts.rounds, quick: opts.quick, log: ctx.log,
      extraArgs: ['--tls', '--cacert', certs.ca, '--cert', certs.clientCert, '--key', certs.clientKey],
    });
    const rows = {};
    for (const t of tests) {
      const r = measured[t.id];
      const error = r.redis.error ?? r.reddish.error;
      const ratio = r.reddish.median / r.redis.median;
      rows[t.id] = { redis: r.redis.median, reddish: r.reddish.median, ratio, error, cpu: { redis: r.redis.cpuPerOp, reddish: r.reddish.cpuPerOp } };
      rows[t.id].bar = bars.check(section, `${t.id} -P ${P} over TLS reddish/redis`, ratio, '>=', 0.6, { error });
    }
    // Server CPU per op (median) moves far less than ops/s when other work shares the CPUs.
    const cpu = (x) => (x ? `${x.toFixed(2)} µs` : 'n/a');
    print(textTable(['test', 'redis ops/s', 'reddish ops/s', 'ratio', 'redis CPU/op', 'reddish CPU/op', 'bar', 'result', 'note'],
      Object.entries(rows).map(([id, r]) => [id, fmtInt(r.redis), fmtInt(r.reddish), fmtRatio(r.ratio), cpu(r.cpu.redis), cpu(r.cpu.reddish),
        '>= 0.6x', r.bar.status, r.error ?? ''])));
    return Object.fromEntries(Object.entries(rows).map(([id, r]) => [id, { redis: r.redis, reddish: r.reddish, ratio: r.ratio, cpuPerOp: r.cpu, error: r.error ?? null }]));
  } finally {
    await redis.stop();
    await reddish.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
