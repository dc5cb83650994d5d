import { Module } from '@nestjs/common';
import { ConfigModule } from '@nazorg/config';
import { MessagingModule } from '@nazorg/messaging';
import { OperationsModule } from '@nazorg/operations';
import { PersistenceModule } from '@nazorg/persistence';

@Module({ imports: [ConfigModule.forRoot(), MessagingModule.forRoot(), PersistenceModule, OperationsModule] })
export class OpsModule {}
