import { Inject, Injectable } from '@nestjs/common';
import { DATA_CIPHER, DataCipherPort } from '../encryption/data-cipher.port';
import { DataKeyPreloadPort } from '../ports/data-key-preload.port';
import { TypeormUnitOfWork } from './typeorm.unit-of-work';

@Injectable()
export class TypeormDataKeyPreload implements DataKeyPreloadPort {
  constructor(
    private readonly unitOfWork: TypeormUnitOfWork,
    @Inject(DATA_CIPHER) private readonly cipher: DataCipherPort,
  ) {}

  withKeysOf<T>(detentionIds: readonly string[], work: () => Promise<T>): Promise<T> {
    return this.cipher.withKeysOf(
      detentionIds.map((detentionId) => ({ detentionId })),
      this.unitOfWork.manager(),
      work,
    );
  }
}
