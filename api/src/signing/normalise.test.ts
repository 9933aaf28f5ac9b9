import { describe, expect, it } from 'vitest';
import { canonicalEmail, normalisePhone } from './normalise.ts';

describe('normalisePhone', () => {
  it('turns every way Kenyans write a mobile number into one E.164 number', () => {
    for (const form of ['0712345678', '712345678', '254712345678', '+254712345678', '+254 712 345 678', '0712 345678', '(0712) 345-678']) {
      expect(normalisePhone(form), form).toBe('+254712345678');
    }
  });

  it('accepts the 01x ranges (0110…, 0111…)', () => {
    expect(normalisePhone('0110123456')).toBe('+254110123456');
    expect(normalisePhone('0111234567')).toBe('+254111234567');
    expect(normalisePhone('+254 110 123 456')).toBe('+254110123456');
  });

  it('accepts other countries with their + code', () => {
    expect(normalisePhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalisePhone('+255 754 123 456')).toBe('+255754123456');
  });

  it('refuses what is not a valid number', () => {
    for (const bad of ['12345', '0712', '07123456789012', 'phone', '+254 000 000 000', '0020123456']) {
      expect(normalisePhone(bad), bad).toBeUndefined();
    }
  });
});

describe('canonicalEmail', () => {
  it('lower-cases and trims', () => {
    expect(canonicalEmail('  Akinyi.Otieno@Example.ORG ')).toBe('akinyi.otieno@example.org');
  });

  it('drops dots and +tags for Gmail and maps googlemail to gmail', () => {
    expect(canonicalEmail('Jane.Doe+x@GMail.com')).toBe('janedoe@gmail.com');
    expect(canonicalEmail('janedoe@googlemail.com')).toBe('janedoe@gmail.com');
    expect(canonicalEmail('j.a.n.e.doe+petition+2@gmail.com')).toBe('janedoe@gmail.com');
  });

  it('drops +tags for providers with subaddressing, but keeps their dots', () => {
    expect(canonicalEmail('jane.doe+news@outlook.com')).toBe('jane.doe@outlook.com');
    expect(canonicalEmail('jane+x@hotmail.com')).toBe('jane@hotmail.com');
    expect(canonicalEmail('jane+x@icloud.com')).toBe('jane@icloud.com');
  });

  it('leaves other providers alone beyond case: a + or - may be part of the mailbox there', () => {
    expect(canonicalEmail('jane+x@example.co.ke')).toBe('jane+x@example.co.ke');
    expect(canonicalEmail('jane-x@yahoo.com')).toBe('jane-x@yahoo.com');
    expect(canonicalEmail('j.doe@yahoo.com')).toBe('j.doe@yahoo.com');
  });
});
