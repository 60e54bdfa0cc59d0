import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sm4ctr:v1:';

/**
 * Encrypts small secrets kept in the database (TOTP seeds) with SM4-CTR and authenticates them
 * with HMAC-SM3 (encrypt-then-MAC), under keys derived from one master key kept outside the
 * database. A copy of the database alone no longer yields the secrets; a changed value is refused.
 * Each value is bound to where it lives (`context`, e.g. the column and the user's id), so a
 * sealed value copied to another row does not open. Values stored before encryption came (no
 * prefix) are read as they are until `sealClearTotpSeeds` seals them at start.
 */
export class SecretBox {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(masterKey: string) {
    const derive = (label: string) => createHmac('sm3', masterKey).update(label).digest();
    this.encKey = derive('govflow secret-box enc').subarray(0, 16);
    this.macKey = derive('govflow secret-box mac');
  }

  private mac(context: string, body: Buffer): Buffer {
    return createHmac('sm3', this.macKey).update(PREFIX).update(context).update('\0').update(body).digest();
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(16);
    const cipher = createCipheriv('sm4-ctr', this.encKey, iv);
    const body = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([body, this.mac(context, body)]).toString('base64url');
  }

  open(stored: string, context: string): string {
    if (!SecretBox.isSealed(stored)) return stored;
    const all = Buffer.from(stored.slice(PREFIX.length), 'base64url');
    if (all.length < 16 + 32) throw new Error('sealed secret is truncated');
    const body = all.subarray(0, all.length - 32);
    const mac = all.subarray(all.length - 32);
    const expected = this.mac(context, body);
    if (!timingSafeEqual(mac, expected))
      throw new Error('sealed secret does not verify (changed, moved, or another key)');
    const decipher = createDecipheriv('sm4-ctr', this.encKey, body.subarray(0, 16));
    return Buffer.concat([decipher.update(body.subarray(16)), decipher.final()]).toString('utf8');
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }
}
