//! Every Coolify endpoint the client calls, as the official spec names it (below
//! `/api/v1`). A client method can only send a request made from one of these.

crate::http::routes! {
    HEALTH = GET "/health";
    VERSION = GET "/version";

    PROJECTS = GET "/projects";
    PROJECT = GET "/projects/{uuid}";
    CREATE_PROJECT = POST "/projects";
    ENVIRONMENTS = GET "/projects/{uuid}/environments";
    CREATE_ENVIRONMENT = POST "/projects/{uuid}/environments";
    /// An environment by name or uuid, with its resources.
    ENVIRONMENT = GET "/projects/{uuid}/{environment_name_or_uuid}";

    /// `?tag=` narrows the list.
    APPLICATIONS = GET "/applications";
    APPLICATION = GET "/applications/{uuid}";
    UPDATE_APPLICATION = PATCH "/applications/{uuid}";
    START_APPLICATION = POST "/applications/{uuid}/start";
    STOP_APPLICATION = POST "/applications/{uuid}/stop";
    RESTART_APPLICATION = POST "/applications/{uuid}/restart";
    CONTAINER_LOGS = GET "/applications/{uuid}/logs";
    ENV_VARS = GET "/applications/{uuid}/envs";
    CREATE_ENV_VAR = POST "/applications/{uuid}/envs";
    UPDATE_ENV_VAR = PATCH "/applications/{uuid}/envs";
    UPSERT_ENV_VARS = PATCH "/applications/{uuid}/envs/bulk";
    DELETE_ENV_VAR = DELETE "/applications/{uuid}/envs/{env_uuid}";
    ROLLBACK_IMAGES = GET "/applications/{uuid}/rollback-images";
    ROLLBACK = POST "/applications/{uuid}/rollback";

    DEPLOY = POST "/deploy";
    /// Queued and in-progress deployments only.
    RUNNING_DEPLOYMENTS = GET "/deployments";
    DEPLOYMENT = GET "/deployments/{uuid}";
    CANCEL_DEPLOYMENT = POST "/deployments/{uuid}/cancel";
    DEPLOYMENT_HISTORY = GET "/deployments/applications/{uuid}";

    SERVERS = GET "/servers";
    SERVER = GET "/servers/{uuid}";
    SERVER_RESOURCES = GET "/servers/{uuid}/resources";
    SERVER_DOMAINS = GET "/servers/{uuid}/domains";
    VALIDATE_SERVER = POST "/servers/{uuid}/validate";

    DATABASES = GET "/databases";
    DATABASE = GET "/databases/{uuid}";
    START_DATABASE = POST "/databases/{uuid}/start";
    STOP_DATABASE = POST "/databases/{uuid}/stop";
    RESTART_DATABASE = POST "/databases/{uuid}/restart";

    SERVICES = GET "/services";
    SERVICE = GET "/services/{uuid}";
    START_SERVICE = POST "/services/{uuid}/start";
    STOP_SERVICE = POST "/services/{uuid}/stop";
    RESTART_SERVICE = POST "/services/{uuid}/restart";
}
