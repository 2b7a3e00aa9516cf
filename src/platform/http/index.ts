export { MicroCache } from './micro-cache.ts';
export { originOf } from './origin.ts';
export type { RoutePolicy } from './policy.ts';
export { type Problem, problemOf } from './problem.ts';
export {
  createHttpServer,
  describePolicy,
  type HttpServer,
  type HttpServerOptions,
  type RegisteredRoute,
  SESSION_COOKIE,
} from './server.ts';
export { type SignedRequestParts, signedRouteHooks } from './signed-route.ts';
