export { respondToIdentityRisk } from './response';
