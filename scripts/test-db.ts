import { migrateToLatest } from '../server/src/db/migrate.ts';
import { createTemplate, dropRunDatabases } from '../server/test/db.ts';

const [command, name] = process.argv.slice(2);
if (!name || !/^passerelle_tpl_\d+_[0-9a-f]+$/.test(name)) throw new Error(`bad template name: ${name}`);
if (command === 'create') await createTemplate(name, migrateToLatest);
else if (command === 'drop') await dropRunDatabases(name);
else throw new Error(`usage: test-db.ts create|drop <name>`);
