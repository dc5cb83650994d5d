import { Injectable } from '@nestjs/common';
import { RecipientConfig, TenantConfig, TenantsFile } from '@nazorg/config';

/** Look-ups over the tenant file: which tenant a municipality belongs to, and its recipients. */
@Injectable()
export class TenantDirectory {
  private readonly tenantOfMunicipality = new Map<string, TenantConfig>();
  private readonly recipients = new Map<string, { recipient: RecipientConfig; tenantId: string | null }>();

  constructor(private readonly file: TenantsFile) {
    for (const tenant of file.tenants) {
      for (const code of tenant.municipalities) this.tenantOfMunicipality.set(code, tenant);
      for (const recipient of tenant.recipients)
        this.recipients.set(recipient.id, { recipient, tenantId: tenant.id });
    }
    for (const recipient of file.sharedRecipients)
      this.recipients.set(recipient.id, { recipient, tenantId: null });
  }

  tenantFor(municipality: string | null | undefined): TenantConfig | undefined {
    return municipality ? this.tenantOfMunicipality.get(municipality) : undefined;
  }

  tenant(id: string): TenantConfig | undefined {
    return this.file.tenants.find((t) => t.id === id);
  }

  tenants(): readonly TenantConfig[] {
    return this.file.tenants;
  }

  recipient(id: string): { recipient: RecipientConfig; tenantId: string | null } | undefined {
    return this.recipients.get(id);
  }

  sharedRecipients(): readonly RecipientConfig[] {
    return this.file.sharedRecipients;
  }

  allRecipients(): RecipientConfig[] {
    return [...this.recipients.values()].map((r) => r.recipient);
  }
}
