/** User management (admins only), and the first admin through the one-time bootstrap token. */
import { z } from 'zod';
import { route, type Route } from '../route.js';
import { principalOf } from './principal.js';
import { encodeUser, role, userOut } from './wire.js';

const TAG = 'Users';
const nameParam = z.object({ name: z.string().min(1) });

export const userRoutes: Route[] = [
  route({
    method: 'POST', paths: ['/api/v1/users'], tag: TAG, access: 'admin',
    permission: { none: 'user accounts: admins only, by role' },
    summary: 'Create a user (admins; or the first admin, with the bootstrap token printed at first start)',
    body: z.object({ name: z.string().min(1), password: z.string(), role: role.default('member') }),
    response: z.object({ user: userOut }),
    handler: async ({ body, services, request }) => {
      const principal = principalOf(request);
      const user =
        principal.kind === 'bootstrap'
          ? await services.auth.bootstrap.createFirstAdmin(principal.tokenHash, body)
          : await services.auth.users.create(body);
      return { user: encodeUser(user) };
    },
  }),
  route({
    method: 'GET', paths: ['/api/v1/users'], tag: TAG, access: 'admin',
    permission: { none: 'user accounts: admins only, by role' },
    summary: 'List users',
    response: z.object({ users: z.array(userOut) }),
    handler: async ({ services }) => ({ users: (await services.auth.users.list()).map(encodeUser) }),
  }),
  route({
    method: 'GET', paths: ['/api/v1/users/:name'], tag: TAG, access: 'admin',
    permission: { none: 'user accounts: admins only, by role' },
    summary: 'Get a user',
    params: nameParam,
    response: z.object({ user: userOut }),
    handler: async ({ params, services }) => ({ user: encodeUser(await services.auth.users.get(params.name)) }),
  }),
  route({
    method: 'PATCH', paths: ['/api/v1/users/:name'], tag: TAG, access: 'admin',
    permission: { none: 'user accounts: admins only, by role' },
    summary: "Change a user's role, password or disabled flag",
    params: nameParam,
    body: z.object({ role: role.optional(), password: z.string().optional(), disabled: z.boolean().optional() }).strict(),
    response: z.object({ user: userOut }),
    handler: async ({ params, body, services }) => {
      const { users } = services.auth;
      if (body.password !== undefined) await users.setPassword(params.name, body.password);
      if (body.role !== undefined) await users.setRole(params.name, body.role);
      if (body.disabled !== undefined) await users.setDisabled(params.name, body.disabled);
      return { user: encodeUser(await users.get(params.name)) };
    },
  }),
  route({
    method: 'POST', paths: ['/api/v1/users/:name/unlock'], tag: TAG, access: 'admin',
    permission: { none: 'user accounts: admins only, by role' },
    summary: 'Lift a sign-in lock-out now',
    params: nameParam,
    response: z.object({}),
    handler: async ({ params, services }) => {
      await services.auth.users.unlock(params.name);
      return {};
    },
  }),
];
