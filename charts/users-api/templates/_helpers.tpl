{{/*
Object names are the project's contract (DESIGN.md: dashboards, alerts, Argo CD and the runbooks name them), so they
do not follow the release name: one users-api per namespace, as with the overlays. The release name is the instance.
*/}}

{{/* Labels Helm adds to every object it renders; the only labels the overlays do not have. */}}
{{- define "users-api.helmLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels: immutable once deployed, so name and instance only. */}}
{{- define "users-api.selectorLabels" -}}
app.kubernetes.io/name: users-api
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The pod template's labels: the selector's plus the descriptive ones. */}}
{{- define "users-api.podLabels" -}}
{{ include "users-api.selectorLabels" . }}
app.kubernetes.io/component: api
app.kubernetes.io/part-of: users-api
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}

{{/* Labels of the service's own objects. */}}
{{- define "users-api.labels" -}}
{{ include "users-api.podLabels" . }}
{{ include "users-api.helmLabels" . }}
{{- end }}

{{/* Labels of the database's objects: not the service's name, or the operator's pods would be selected as the service's. */}}
{{- define "users-api.databaseLabels" -}}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{ include "users-api.helmLabels" . }}
{{- end }}

{{- define "users-api.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end }}

{{/* The service's settings (environment variables), as JSON: the ConfigMap's data and the input of its name's hash. */}}
{{- define "users-api.configData" -}}
{{- $data := dict
  "HTTP_PORT" "8080"
  "ADMIN_PORT" "8081"
  "USERS_API_TOKENS_FILE" "/etc/users-api/tokens"
  "USERS_API_DRAIN_SECONDS" "5"
  "USERS_API_MAX_USERS" (.Values.config.maxUsers | int64 | toString)
  "LOG_LEVEL" .Values.config.logLevel -}}
{{- with .Values.config.trustedProxies }}
{{- $_ := set $data "USERS_API_TRUSTED_PROXIES" (join "," .) }}
{{- end }}
{{- $data | toJson -}}
{{- end }}

{{/*
users-api-config-<hash>: Kustomize's configMapGenerator name, computed the same way (sigs.k8s.io/kustomize/api/hasher:
sha256 of the JSON {"data":...,"kind":"ConfigMap","name":""}, its first 10 hex digits with 0,1,3,a,e mapped to
g,h,k,m,t). The name is empty in kustomize's input (its lookup of "metadata/name" finds nothing), so it is here too;
the equivalence test compares the names, so a change of kustomize's scheme fails the build. A changed setting is a
new ConfigMap, so the Deployment rolls, exactly as with the overlays.
*/}}
{{- define "users-api.configMapName" -}}
{{- $hashed := dict "kind" "ConfigMap" "name" "" "data" (include "users-api.configData" . | fromJson) | toJson | sha256sum | trunc 10 -}}
users-api-config-{{ $hashed | replace "0" "g" | replace "1" "h" | replace "3" "k" | replace "a" "m" | replace "e" "t" }}
{{- end }}
