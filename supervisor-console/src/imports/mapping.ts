import { contactFields, type ColumnMapping, type ContactField } from '@passerelle/shared/api/imports';

/** What one file column is used for, as the mapping form edits it. */
export type ColumnRole = 'ignore' | 'phone' | 'extra' | `field:${ContactField}`;

export function rolesFromMapping(mapping: ColumnMapping, columns: number): ColumnRole[] {
  const roles: ColumnRole[] = Array.from({ length: columns }, () => 'ignore');
  for (const c of mapping.phones) if (c < columns) roles[c] = 'phone';
  for (const f of contactFields) {
    const c = mapping.fields[f];
    if (c !== undefined && c < columns) roles[c] = `field:${f}`;
  }
  for (const x of mapping.extra) if (x.column < columns) roles[x.column] = 'extra';
  return roles;
}

/** Back to the API's mapping: phones in column order (leftmost first), one column per field. */
export function mappingFromRoles(roles: readonly ColumnRole[], headers: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = { phones: [], fields: {}, extra: [] };
  roles.forEach((role, column) => {
    if (role === 'phone') mapping.phones.push(column);
    else if (role === 'extra') mapping.extra.push({ column, name: (headers[column] || `Colonne ${column + 1}`).slice(0, 64) });
    else if (role.startsWith('field:')) mapping.fields[role.slice(6) as ContactField] ??= column;
  });
  return mapping;
}
