import { builder } from '../../schema/builder.ts';

const ServerInfo = builder
  .objectRef<{ version: string; steveMode: string; lagoMode: string; demo: boolean; now: Date }>('ServerInfo')
  .implement({
    description: 'Facts about this Polaris Express deployment.',
    fields: (t) => ({
      version: t.exposeString('version', { description: 'Server version.' }),
      steveMode: t.exposeString('steveMode', {
        description: '`simulator` (built-in fleet) or `real` (a configured SteVe).',
      }),
      lagoMode: t.exposeString('lagoMode', {
        description: '`sandbox` (built-in) or `real` (a configured Lago).',
      }),
      demo: t.exposeBoolean('demo', { description: 'Whether demo accounts and data are seeded.' }),
      now: t.expose('now', { type: 'DateTime', description: 'Server time, to align client clocks.' }),
    }),
  });

builder.queryField('serverInfo', (t) =>
  t.field({
    type: ServerInfo,
    description: 'Deployment facts shown on sign-in pages. Anyone may read them.',
    authScopes: { public: true },
    resolve: (_root, _args, ctx) => ({
      version: '0.1.0',
      steveMode: ctx.services.config.steve.mode,
      lagoMode: ctx.services.config.lago.mode,
      demo: ctx.services.config.demo,
      now: new Date(),
    }),
  }),
);
