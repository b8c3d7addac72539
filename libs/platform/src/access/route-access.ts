import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { ACCESS_KEY, type Access } from './access.decorator';

export interface DeclaredRoute {
  controller: string;
  handler: string;
  method: string;
  path: string;
  access?: Access;
}

/** Every HTTP route of the application with the access it declares (if any). */
export function listRoutes(app: INestApplicationContext): DeclaredRoute[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const routes: DeclaredRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const prototype = Object.getPrototypeOf(instance);
    const base = String(reflector.get<string | string[]>(PATH_METADATA, metatype) ?? '');
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      const path = reflector.get<string | string[] | undefined>(PATH_METADATA, handler);
      if (path === undefined) continue;
      const method = RequestMethod[reflector.get<RequestMethod>(METHOD_METADATA, handler)];
      const access = reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [handler, metatype]);
      routes.push({ controller: metatype.name, handler: name, method, path: `/${base}/${String(path)}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1'), access });
    }
  }
  return routes;
}

/** Refuses to run an application with a route that does not say who may call it. */
export function assertEveryRouteDeclaresAccess(app: INestApplicationContext): void {
  const undeclared = listRoutes(app).filter((r) => !r.access);
  if (undeclared.length > 0) {
    const names = undeclared.map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`).join(', ');
    throw new Error(`Routes without an access declaration (@Public, @SignedIn or @Roles): ${names}`);
  }
}
