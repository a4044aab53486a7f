/** Authentication over HTTP: the guard on every request, and the auth, user and token routes. */
import type { Route } from '../route.js';
import { sessionRoutes } from './session-routes.js';
import { tokenRoutes } from './token-routes.js';
import { userRoutes } from './user-routes.js';

export { registerGuard } from './guard.js';
export { principalOf } from './principal.js';

/** Every route of this folder, for the route list. */
export const authRoutes: Route[] = [...sessionRoutes, ...userRoutes, ...tokenRoutes];
