export const roles = ['admin', 'trainer', 'trainee', 'partner'] as const;
export type Role = (typeof roles)[number];

/** Roles that work for the establishment (may see trainees and supervise). */
export const staffRoles = ['admin', 'trainer'] as const satisfies readonly Role[];
