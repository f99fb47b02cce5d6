import { describe, expect, it } from 'vitest';
import { destinationAfterSignIn, isAdmin } from './roles.ts';

describe('roles and redirects', () => {
  const admin = { role: 'admin' };
  const driver = { role: 'customer' };

  it('reads comma-separated roles', () => {
    expect(isAdmin({ role: 'customer,admin' })).toBe(true);
    expect(isAdmin({ role: 'customer' })).toBe(false);
    expect(isAdmin({ role: null })).toBe(false);
  });

  it('sends admins to the console and drivers to their dashboard', () => {
    expect(destinationAfterSignIn(admin, null)).toBe('/admin');
    expect(destinationAfterSignIn(driver, null)).toBe('/');
  });

  it('honours ?next= only for local pages the user may open', () => {
    expect(destinationAfterSignIn(admin, '/admin/cards?page=2')).toBe('/admin/cards?page=2');
    expect(destinationAfterSignIn(driver, '/admin/cards')).toBe('/');
    expect(destinationAfterSignIn(driver, '/administrator')).toBe('/administrator');
    expect(destinationAfterSignIn(admin, '//evil.example')).toBe('/admin');
    expect(destinationAfterSignIn(admin, 'https://evil.example')).toBe('/admin');
    expect(destinationAfterSignIn(admin, '/sign-in')).toBe('/admin');
  });
});
