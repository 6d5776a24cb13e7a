import { describe, expect, it } from 'vitest';
import { cleanText, defaultMaskingPolicy, departmentOf, maskCustomerRef, maskedCard, maskingPolicySchema, maskName, maskPhone } from './masking.ts';

describe('maskPhone', () => {
  it.each([
    ['+590690001234', '06 90 •• •• 34'], // Guadeloupe mobile
    ['+590590001234', '05 90 •• •• 34'], // Guadeloupe fixed
    ['+590691281256', '06 91 •• •• 56'], // Guadeloupe mobile 0691
    ['+596696001299', '06 96 •• •• 99'], // Martinique mobile
    ['+596596001200', '05 96 •• •• 00'], // Martinique fixed
    ['+594694001277', '06 94 •• •• 77'], // Guyane mobile
    ['+594594001211', '05 94 •• •• 11'], // Guyane fixed
    ['+262692001288', '06 92 •• •• 88'], // Réunion mobile
    ['+262262001233', '02 62 •• •• 33'], // Réunion fixed
    ['+262639001244', '06 39 •• •• 44'], // Mayotte mobile
    ['+262269001255', '02 69 •• •• 55'], // Mayotte fixed
    ['+33612345678', '06 •• •• •• 78'], // metropolitan mobile
    ['+33145678901', '01 •• •• •• 01'], // metropolitan fixed
    ['+33987654321', '09 •• •• •• 21'], // box / VoIP
    ['+15145550123', '•• •• •• •• 23'], // elsewhere: last 2 only
  ])('%s → %s', (e164, masked) => {
    expect(maskPhone(e164)).toBe(masked);
  });

  it('never shows more than the prefix and the last two digits', () => {
    const masked = maskPhone('+590690123456');
    expect(masked).not.toMatch(/1234|2345|3456/);
    expect(masked.replace(/\D/g, '')).toBe('069056');
  });

  it('hides everything when the policy says so or the input is not E.164', () => {
    expect(maskPhone('+590690001234', 'hidden')).toBe('•• •• •• •• ••');
    expect(maskPhone('0690001234')).toBe('•• •• •• •• ••');
    expect(maskPhone('<script>alert(1)</script>')).toBe('•• •• •• •• ••');
    expect(maskPhone('')).toBe('•• •• •• •• ••');
    expect(maskPhone(null)).toBe('•• •• •• •• ••');
  });
});

describe('maskName', () => {
  it('shows the first name and the initial of the last name', () => {
    expect(maskName('Marie', 'Dupont')).toBe('Marie D.');
    expect(maskName('Élodie', 'éloi')).toBe('Élodie É.');
    expect(maskName('Jean-Pierre', 'Saint-Éloi')).toBe('Jean-Pierre S.');
    expect(maskName('  marie-thérèse ', "d'Alembert")).toBe('marie-thérèse D.');
    expect(maskName('Ève', 'Œuvray')).toBe('Ève Œ.');
  });

  it('gives French initials, hyphens kept', () => {
    expect(maskName('Jean-Pierre', 'Dupont', 'initials')).toBe('J.-P. D.');
    expect(maskName('Marie Claire', 'Zébulon', 'initials')).toBe('M. C. Z.');
    expect(maskName('émile', null, 'initials')).toBe('É.');
  });

  it('handles missing parts and hidden mode', () => {
    expect(maskName(null, 'Dupont')).toBe('D.');
    expect(maskName('Marie', '')).toBe('Marie');
    expect(maskName(' ', null)).toBeNull();
    expect(maskName('Marie', 'Dupont', 'hidden')).toBeNull();
  });

  it('keeps hostile strings as inert text and strips invisible characters', () => {
    expect(maskName('<script>alert(1)</script>', 'Dupont')).toBe('<script>alert(1)</script> D.');
    expect(maskName('=HYPERLINK("http://x")', '<img src=x>')).toBe('=HYPERLINK("http://x") I.');
    expect(maskName('Ma\u202Eeir', 'Du\u200Bpont')).toBe('Ma eir D.');
    expect(maskName('Marie\u0000\n', 'D\tupont')).toBe('Marie D.');
  });

  it('caps long values', () => {
    const masked = maskName('A'.repeat(500), 'B');
    expect(Array.from(masked!).length).toBeLessThanOrEqual(45);
  });
});

describe('other fields', () => {
  it('reduces postal codes to the département', () => {
    expect(departmentOf('97122')).toBe('971');
    expect(departmentOf('97 200')).toBe('972');
    expect(departmentOf('97600')).toBe('976');
    expect(departmentOf('75011')).toBe('75');
    expect(departmentOf('2A004')).toBeNull();
    expect(departmentOf('abc')).toBeNull();
  });

  it('keeps the last 4 of a customer reference, never a short one whole', () => {
    expect(maskCustomerRef('CLI-0045521')).toBe('…5521');
    expect(maskCustomerRef('1234')).toBe('••••');
    expect(maskCustomerRef(null)).toBeNull();
  });

  it('returns already clean text as is, exactly as the full cleaning would', () => {
    const full = (v: string, max: number) => {
      const text = v.normalize('NFC').replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ').replace(/\s+/gu, ' ').trim();
      const chars = Array.from(text);
      return !text ? null : chars.length > max ? chars.slice(0, max).join('') + '…' : text;
    };
    const samples = ['Pointe-à-Pitre', 'Hélène', 'ÿ×÷', 'a  b', ' a', 'a ', 'e\u0301', 'a\u00a0b', 'a\u00adb', 'Œuvre', '😀', 'x'.repeat(61), 'O\'Neil-Smith Jr.', ''];
    for (const v of samples) for (const max of [60, 5]) expect(cleanText(v, max)).toBe(full(v, max));
    expect(maskName('élodie', 'zoé')).toBe('élodie Z.');
    expect(maskName('x', 'Ébène')).toBe('x É.');
  });

  it('cleans text', () => {
    expect(cleanText('  a\u0007b  ')).toBe('a b');
    expect(cleanText('\u200B')).toBeNull();
  });
});

describe('maskedCard', () => {
  const fields = {
    firstName: 'Marie',
    lastName: 'Dupont',
    phone: '+590690001234',
    postalCode: '97122',
    city: 'Baie-Mahault',
    customerRef: 'CLI-0045521',
    extra: { Produit: 'Box fibre', Secret: 'ne pas montrer' },
  };

  it('applies the default policy', () => {
    expect(maskedCard(fields)).toEqual({
      name: 'Marie D.',
      phone: '06 90 •• •• 34',
      city: 'Baie-Mahault',
      department: '971',
      customerRef: null,
      extra: {},
    });
    expect(defaultMaskingPolicy.extra).toEqual([]);
  });

  it('applies a strict policy and shows only allowed extra columns', () => {
    const policy = maskingPolicySchema.parse({ name: 'initials', phone: 'hidden', city: false, postalCode: 'hidden', customerRef: 'last4', extra: ['Produit', 'Absent'] });
    expect(maskedCard(fields, policy)).toEqual({ name: 'M. D.', phone: null, city: null, department: null, customerRef: '…5521', extra: { Produit: 'Box fibre' } });
  });

  it('contains no clear number or last name anywhere', () => {
    const json = JSON.stringify(maskedCard(fields, maskingPolicySchema.parse({ customerRef: 'last4', extra: ['Produit'] })));
    expect(json).not.toContain('0690001234');
    expect(json).not.toContain('690001234');
    expect(json).not.toContain('Dupont');
  });
});
