export * from './zeebe-gateway.module';
export { ZeebeGateway } from './zeebe-gateway';
