/**
 * Certificates for TLS tests, made with the openssl command line as Redis's
 * own utils/gen-test-certs.sh makes them: a CA, a server certificate for
 * 127.0.0.1 and localhost signed by it, a client certificate signed by it,
 * and a client certificate signed by a second CA the server does not trust.
 * The server key also exists encrypted (tls-key-file-pass). Made once per
 * test process into a private temporary directory, removed at exit.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestCertificates {
  readonly dir: string;
  /** The CA that signed the server and client certificates (tls-ca-cert-file). */
  readonly caCert: string;
  /** A directory holding the CA in OpenSSL's hashed layout (tls-ca-cert-dir). */
  readonly caDir: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** The server key encrypted with `serverKeyPass`. */
  readonly serverKeyEncrypted: string;
  readonly serverKeyPass: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A client certificate from a CA the server does not trust. */
  readonly strangerCert: string;
  readonly strangerKey: string;
}

let made: TestCertificates | null = null;

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Is there an openssl command to make certificates with? */
export function haveOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function testCertificates(): TestCertificates {
  if (made !== null) return made;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reddish-tls-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const ca = (name: string) => {
    openssl(['genrsa', '-out', `${name}.key`, '2048'], dir);
    openssl(['req', '-x509', '-new', '-nodes', '-sha256', '-key', `${name}.key`, '-days', '3650', '-subj', `/O=reddish test/CN=${name}`, '-out', `${name}.crt`], dir);
  };
  const signed = (name: string, signer: string, extensions: string) => {
    fs.writeFileSync(path.join(dir, `${name}.ext`), extensions);
    openssl(['genrsa', '-out', `${name}.key`, '2048'], dir);
    openssl(['req', '-new', '-sha256', '-subj', `/O=reddish test/CN=${name}`, '-key', `${name}.key`, '-out', `${name}.csr`], dir);
    openssl(
      ['x509', '-req', '-sha256', '-CA', `${signer}.crt`, '-CAkey', `${signer}.key`, '-CAcreateserial', '-days', '365', '-in', `${name}.csr`, '-extfile', `${name}.ext`, '-out', `${name}.crt`],
      dir,
    );
  };
  ca('ca');
  ca('stranger-ca');
  signed('server', 'ca', 'keyUsage = digitalSignature, keyEncipherment\nsubjectAltName = IP:127.0.0.1, IP:::1, DNS:localhost\n');
  signed('client', 'ca', 'keyUsage = digitalSignature, keyEncipherment\nextendedKeyUsage = clientAuth\n');
  signed('stranger', 'stranger-ca', 'keyUsage = digitalSignature, keyEncipherment\nextendedKeyUsage = clientAuth\n');
  const serverKeyPass = 'sesame';
  openssl(['pkey', '-in', 'server.key', '-aes256', '-passout', `pass:${serverKeyPass}`, '-out', 'server-encrypted.key'], dir);
  const caDir = path.join(dir, 'ca-dir');
  fs.mkdirSync(caDir);
  fs.copyFileSync(path.join(dir, 'ca.crt'), path.join(caDir, 'ca.crt'));
  openssl(['rehash', caDir], dir);
  const at = (file: string) => path.join(dir, file);
  made = {
    dir,
    caCert: at('ca.crt'),
    caDir,
    serverCert: at('server.crt'),
    serverKey: at('server.key'),
    serverKeyEncrypted: at('server-encrypted.key'),
    serverKeyPass,
    clientCert: at('client.crt'),
    clientKey: at('client.key'),
    strangerCert: at('stranger.crt'),
    strangerKey: at('stranger.key'),
  };
  return made;
}
