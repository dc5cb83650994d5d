import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'nazorg:public';

/**
 * Marks a controller or handler as open to anyone (health probes). An app's authentication guard
 * (the operations' OpsAuthGuard) refuses every route that is neither public nor given roles.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
