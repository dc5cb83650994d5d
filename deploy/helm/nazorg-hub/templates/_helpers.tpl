{{/* Release-scoped name of the chart's objects, at most 63 characters. */}}
{{- define "nazorg-hub.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "nazorg-hub.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one app: (dict "root" $ "app" "connector-brp") */}}
{{- define "nazorg-hub.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .app }}
{{- end -}}

{{- define "nazorg-hub.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{- define "nazorg-hub.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets" (include "nazorg-hub.fullname" .)) -}}
{{- end -}}

{{- define "nazorg-hub.configName" -}}
{{- printf "%s-config" (include "nazorg-hub.fullname" .) -}}
{{- end -}}

{{- define "nazorg-hub.tenantsName" -}}
{{- .Values.tenants.existingConfigMap | default (printf "%s-tenants" (include "nazorg-hub.fullname" .)) -}}
{{- end -}}

{{- define "nazorg-hub.secretEnv" -}}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ include "nazorg-hub.secretName" .root }}
      key: {{ .key }}
{{- end -}}

{{/*
The environment every app and the migration Job share: the ConfigMap's settings, and the secrets
that a production start checks in every process (libs/config/src/app-config.ts).
*/}}
{{- define "nazorg-hub.sharedEnv" -}}
{{- $root := . -}}
{{- range $env, $key := dict "DATABASE_URL" "database-url" "INGEST_TOKEN_INJUS" "ingest-token-injus" "INGEST_TOKEN_DPAN" "ingest-token-dpan" "OPS_OPERATOR_TOKEN" "ops-operator-token" "OPS_COORDINATOR_TOKENS" "ops-coordinator-tokens" "PSEUDONYM_KEY" "pseudonym-key" "RETRY_COUNTER_KEY" "retry-counter-key" "DATA_KEYS" "data-keys" "ALERT_WEBHOOK_SECRET" "alert-webhook-secret" }}
{{ include "nazorg-hub.secretEnv" (dict "root" $root "env" $env "key" $key) }}
{{- end }}
{{- /* Optional: a Secret made before key rotation (ADR 0023) need not hold it. */}}
- name: PSEUDONYM_PREVIOUS_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ include "nazorg-hub.secretName" $root }}
      key: pseudonym-previous-keys
      optional: true
{{- end -}}

{{/* Checksums that roll the pods when the configuration or the chart's Secret changes. */}}
{{- define "nazorg-hub.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- if not .Values.secrets.existingSecret }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
{{- end -}}
