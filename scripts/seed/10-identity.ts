/** Site, workstations, partner company and one account per demo login. */
import { hashPassword } from '../../server/src/lib/passwords.ts';
import { DEMO_PARTNER, DEMO_PASSWORD, DEMO_SEATS, DEMO_SITE, DEMO_USERS, demoSeatRanges } from '../lib/demo-data.ts';
import type { SeedModule } from '../lib/seed.ts';

const identity: SeedModule = {
  name: 'identité (site, postes, partenaire, comptes)',
  async run({ db, log }) {
    const site = await db
      .insertInto('sites')
      .values(DEMO_SITE)
      .onConflict((oc) => oc.column('name').doUpdateSet({ timeZone: DEMO_SITE.timeZone }))
      .returning('id')
      .executeTakeFirstOrThrow();

    const ipRanges = demoSeatRanges();
    await db
      .insertInto('workstations')
      .values(DEMO_SEATS.map((name) => ({ siteId: site.id, name, ipRanges })))
      .onConflict((oc) => oc.columns(['siteId', 'name']).doUpdateSet((eb) => ({ ipRanges: eb.ref('excluded.ipRanges'), active: true })))
      .execute();
    log(`${DEMO_SEATS.length} postes, plages autorisées : ${ipRanges.join(', ')}`);

    const partner = await db
      .insertInto('partners')
      .values(DEMO_PARTNER)
      .onConflict((oc) => oc.column('name').doUpdateSet({ active: true }))
      .returning('id')
      .executeTakeFirstOrThrow();

    // Re-running the demo restores the printed logins: password reset, account unlocked.
    for (const user of DEMO_USERS) {
      const row = {
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        siteId: user.role === 'partner' ? null : site.id,
        partnerId: user.role === 'partner' ? partner.id : null,
        passwordHash: await hashPassword(DEMO_PASSWORD),
      };
      await db
        .insertInto('users')
        .values(row)
        .onConflict((oc) =>
          oc.column('username').doUpdateSet({ ...row, active: true, failedLogins: 0, lockedUntil: null, updatedAt: new Date() }),
        )
        .execute();
    }
    log(`${DEMO_USERS.length} comptes de démonstration`);
  },
};

export default identity;
