export { respondToIdentityRisk } from './response';
export { containmentGuard } from './guard';
