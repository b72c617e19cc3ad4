/* Generated from the Worker's OpenAPI document by web/scripts/generate-api.ts — do not edit. */
/* Regenerate against a running stack: npx tsx web/scripts/generate-api.ts http://localhost:8787/v1/openapi.json */

export interface Schemas {
  Alert: {
    id: string;
    leadId: string;
    /** sell | buy | refinance | invest | hot_lead | human_requested | churn_risk */
    kind: string;
    status: "new" | "delivered" | "acknowledged" | "claimed" | "converted" | "dismissed" | "expired";
    probability: number | null;
    /** Why this lead, in plain words */
    reasons: Array<string>;
    assignedAgentIds: Array<string>;
    slaMinutes: number | null;
    claimedBy: string | null;
    converted: boolean | null;
    createdAt: string;
    deliveredAt: string | null;
    acknowledgedAt: string | null;
    claimedAt: string | null;
    convertedAt: string | null;
    dismissedAt: string | null;
    expiredAt: string | null;
    /** Unsettled by then → expired */
    expiresAt: string | null;
    /** SLA ladder: 0 first agent, 1 next agent, 2 managers */
    escalationLevel: number;
    escalatedAt: string | null;
    /** The model version behind the probability (prior-v1 = documented priors) */
    modelVersion: string | null;
  };
  ApiKey: {
    id: string;
    name: string;
    prefix: string;
    scopes: Array<string>;
    createdAt: string;
    lastUsedAt: string | null;
    revokedAt: string | null;
  };
  AuditEntry: {
    id: string;
    actorType: string;
    actorId: string | null;
    action: string;
    targetType: string | null;
    targetId: string | null;
    ip: string | null;
    details: {
      [key: string]: unknown;
    } | null;
    at: string;
  };
  Billing: {
    plan: "free" | "team" | "brokerage";
    /** Stripe subscription status; none = never subscribed (free plan) */
    status: "none" | "trialing" | "active" | "past_due" | "canceled" | "unpaid" | "incomplete" | "incomplete_expired" | "paused";
    /** Users the plan allows */
    seats: number;
    seatsUsed: number;
    currentPeriodEnd: string | null;
    cancelAtPeriodEnd: boolean;
    /** false while past due / canceled / unpaid: no bot replies, alerts or scoring; data stays readable */
    automation: boolean;
    features: Array<string>;
  };
  CheckoutRequest: {
    plan: "team" | "brokerage";
    /** Users to pay for (the subscription quantity) */
    seats: number;
  };
  ChurnSummary: {
    from: string;
    to: string;
    riskThreshold: number;
    /** Leads whose newest assessment in the range is at or over the tenant's threshold, by current stage */
    atRiskByStage: {
      [key: string]: number;
    };
    interventions: Array<{
      step: number;
      kind: string;
      statuses: {
        [key: string]: number;
      };
      total: number;
    }>;
    outcomes: {
      pending: number;
      saved: number;
      notSaved: number;
    };
    treated: {
      episodes: number;
      resolved: number;
      pending: number;
      saved: number;
      /** saved ÷ resolved (null with none resolved) */
      rate: number | null;
      /** Wilson 95 % interval of the rate */
      ci95: [number, number] | null;
    };
    holdout: {
      episodes: number;
      resolved: number;
      pending: number;
      saved: number;
      /** saved ÷ resolved (null with none resolved) */
      rate: number | null;
      /** Wilson 95 % interval of the rate */
      ci95: [number, number] | null;
    };
    /** treated rate − holdout rate (absolute) */
    lift: number | null;
    /** Two-proportion z-test; null below 20 resolved episodes per group */
    pValue: number | null;
    /** Plain words: not enough data / not significant / significant */
    verdict: string;
    detectionToActionMs: {
      n: number;
      p50: number | null;
      p95: number | null;
    };
  };
  CoachingMetrics: {
    leads: number;
    /** Milliseconds; null with nothing to measure */
    speedToLeadMedianMs: number | null;
    /** Milliseconds; null with nothing to measure */
    replyTimeMedianMs: number | null;
    replies: number;
    coverage: {
      /** A fraction, 0–1; null with no leads */
      q1Motivation: number | null;
      /** A fraction, 0–1; null with no leads */
      q2Timeline: number | null;
      /** A fraction, 0–1; null with no leads */
      q3Condition: number | null;
      /** A fraction, 0–1; null with no leads */
      q4Price: number | null;
    };
    /** Per question, the agent's leads with the answer */
    answered: {
      q1Motivation: number;
      q2Timeline: number;
      q3Condition: number;
      q4Price: number;
    };
    /** Per question, the agent's newest leads without the answer (at most 50) */
    unanswered: {
      q1Motivation: Array<string>;
      q2Timeline: Array<string>;
      q3Condition: Array<string>;
      q4Price: Array<string>;
    };
    agentMessages: number;
    questionsAsked: number;
    talkRatio: number | null;
    /** Milliseconds; null with nothing to measure */
    followUpCadenceMedianMs: number | null;
    followUps: number;
    slaMisses: number;
    slaMissAlertIds: Array<string>;
    missedOpportunities: number;
    missed: Array<{
      leadId: string;
      name: string | null;
      /** Milliseconds; null with nothing to measure */
      waitedMs: number | null;
    }>;
    alerts: {
      routed: number;
      acknowledged: number;
      claimed: number;
      converted: number;
    };
  };
  CoachingReport: {
    /** Null when computed on this read and not stored */
    id: string | null;
    agentId: string;
    agentName: string;
    period: {
      from: string;
      to: string;
    };
    metrics: Schemas["CoachingMetrics"];
    team: Schemas["CoachingTeamMetrics"];
    insights: Array<{
      title: string;
      detail: string;
      evidence?: Array<string>;
    }>;
    actions: Array<{
      action: string;
      why: string;
    }>;
    narrative: string | null;
    generatedBy: "claude" | "rules";
    /** Why Claude's coaching was not used (e.g. ungrounded_number:45, timeout) */
    fallbackReason: string | null;
    model: string | null;
    tokens: {
      inputTokens: number;
      outputTokens: number;
      cacheReadTokens?: number;
    } | null;
    /** What the analysis cost, in millionths of a US dollar */
    costMicroUsd: number;
    trigger: ("on_demand" | "nightly") | null;
    createdBy: string | null;
    createdAt: string;
    stored: boolean;
    definitions: {
      [key: string]: string;
    };
  };
  CoachingTeamMetrics: {
    agents: number;
    leads: number | null;
    speedToLeadMedianMs: number | null;
    replyTimeMedianMs: number | null;
    "coverage.q1Motivation": number | null;
    "coverage.q2Timeline": number | null;
    "coverage.q3Condition": number | null;
    "coverage.q4Price": number | null;
    questionsAsked: number | null;
    talkRatio: number | null;
    followUpCadenceMedianMs: number | null;
    slaMisses: number | null;
    missedOpportunities: number | null;
  };
  ConsentEvent: {
    id: string;
    leadId: string | null;
    phone: string | null;
    action: "granted" | "revoked";
    channel: string;
    /** inbound_message | keyword | plain_language | form | verbal | written | api | crm_dnd | crm_tag */
    method: string;
    source: string | null;
    formText: string | null;
    ip: string | null;
    evidence: {
      [key: string]: unknown;
    } | null;
    recordedBy: string | null;
    occurredAt: string;
    createdAt: string;
  };
  CreateApiKey: {
    name: string;
    scopes: Array<"admin" | "read" | "events:write" | "leads:read" | "leads:write" | "alerts:read" | "alerts:write">;
  };
  CreateUser: {
    name: string;
    role: "owner" | "admin" | "manager" | "agent" | "viewer";
    territories?: Array<string>;
    skills?: Array<string>;
    capacity?: number;
    workingHours?: {
      [key: string]: Array<[string, string]>;
    } | null;
    paused?: boolean;
    email: string;
    password: string;
  };
  Dashboard: {
    range: {
      from: string;
      to: string;
      agentId: string | null;
    };
    hero: {
      newLeads: {
        value: number;
        definition: string;
      };
      qualified: {
        value: number;
        definition: string;
      };
      hot: {
        value: number;
        definition: string;
      };
      medianSpeedToLeadMs: {
        value: number | null;
        definition: string;
      };
      conversionRate: {
        /** A fraction, 0–1; null with no leads */
        value: number | null;
        definition: string;
      };
    };
    funnel: Array<{
      stage: "new" | "q1" | "q2" | "q3" | "q4" | "qualified" | "appointment" | "contract" | "closed";
      count: number;
    }>;
    temperature: {
      hot: number;
      warm: number;
      cold: number;
      unknown: number;
    };
    timeline: Array<{
      bucket: "0-30d" | "31-90d" | "91-180d" | "180d+" | "unknown";
      count: number;
    }>;
    price: Array<{
      bucket: string;
      /** Inclusive; null only for the unknown bucket */
      minCents: number | null;
      /** Exclusive; null = no upper bound */
      maxCents: number | null;
      count: number;
    }>;
    speedToLead: {
      buckets: Array<{
        bucket: "<10s" | "10-30s" | "30-60s" | "1-5m" | ">5m";
        count: number;
      }>;
      p50Ms: number | null;
      p90Ms: number | null;
      /** Leads with a measured speed-to-lead */
      measured: number;
    };
    commission: {
      forecastCents: number;
      actualCents: number;
      closedLeads: number;
      closedLeadsWithPrice: number;
      assumptions: {
        averageSalePriceCents: number;
        commissionRate: number;
        teamSplit: number;
      };
      byStage: Array<{
        stage: "new" | "q1" | "q2" | "q3" | "q4" | "qualified" | "appointment" | "contract";
        leads: number;
        closeProbability: number;
        expectedCents: number;
      }>;
    };
    alertsByModel: Array<{
      kind: string;
      generated: number;
      acknowledged: number;
      converted: number;
      dismissed: number;
      expired: number;
      medianAckMs: number | null;
      precision: number | null;
    }>;
    leaderboard: Array<{
      agentId: string;
      name: string;
      leads: number;
      qualified: number;
      medianSpeedToLeadMs: number | null;
      alertsAcknowledged: number;
      alertsClaimed: number;
      converted: number;
    }>;
    /** How each section is computed, in plain words */
    definitions: {
      [key: string]: string;
    };
    generatedAt: string;
  };
  DoNotContact: {
    phone: string;
    reason: string | null;
    addedBy: string | null;
    createdAt: string;
  };
  Error: {
    error: {
      code: string;
      message: string;
      details?: unknown;
      requestId: string;
    };
  };
  Experiment: {
    id: string;
    key: string;
    name: string;
    lever: "assistant_script" | "follow_up_cadence" | "routing_strategy";
    /** The first variant is the control */
    variants: Array<{
      key: string;
      weight: number;
      config: {
        [key: string]: unknown;
      };
    }>;
    conversionEvent: string;
    status: "draft" | "running" | "stopped";
    startedAt: string | null;
    stoppedAt: string | null;
    createdAt: string;
  };
  ExperimentReport: {
    arms: Array<{
      key: string;
      weight: number;
      exposures: number;
      conversions: number;
      conversionRate: number | null;
      /** Wilson 95 % interval of the rate */
      rateInterval: {
        low: number;
        high: number;
      } | null;
      /** Null for the control arm */
      vsControl: ({
        /** Rate minus control rate */
        absoluteLift: number | null;
        /** (rate − control) / control; null when control is 0 */
        relativeLift: number | null;
        /** Newcombe hybrid score 95 % interval of the absolute lift */
        interval95: {
          low: number;
          high: number;
        } | null;
        z: number | null;
        /** Two-sided pooled two-proportion z-test */
        pValue: number | null;
        verdict: string;
        note: string | null;
      }) | null;
    }>;
    sampleRatio: {
      chiSquare: number;
      degreesOfFreedom: number;
      pValue: number;
      /** Exposures do not match the weights (p < 0.001) */
      mismatch: boolean;
      expected: {
        [key: string]: number;
      };
      note: string | null;
    };
    /** "significant at 95 %" when any arm beats or trails control significantly, else "not significant yet" */
    verdict: string;
    minimumSample: string;
  };
  FeatureFlag: {
    key: string;
    description: string | null;
    /** Kill switch: false turns the feature off for everyone, whatever the rollout */
    enabled: boolean;
    /** Share of units (by SHA-256 bucket of flag:unit) that get the feature, 0–100 */
    rolloutPct: number;
    createdAt: string;
    updatedAt: string;
  };
  GhlConnection: {
    locationId: string;
    fromNumber: string | null;
    connectedAt: string;
    updatedAt: string;
    lastWebhookAt: string | null;
    lastSendAt: string | null;
    lastError: string | null;
    lastErrorAt: string | null;
  };
  Lead: {
    id: string;
    /** The GHL contact id */
    externalId: string | null;
    source: "ghl" | "api" | "events";
    kind: "seller" | "prospect";
    name: string | null;
    /** E.164 */
    phone: string | null;
    email: string | null;
    address: {
      street: string | null;
      city: string | null;
      state: string | null;
      postalCode: string | null;
    };
    tags: Array<string>;
    stage: "new" | "q1" | "q2" | "q3" | "q4" | "qualified" | "appointment" | "contract" | "closed" | "lost";
    temperature: ("hot" | "warm" | "cold") | null;
    /** Why the assistant classified the lead so, in plain words */
    temperatureReasons: Array<string>;
    qualification: {
      motivation: ({
        category: "relocation" | "downsizing" | "upsizing" | "financial" | "divorce" | "inheritance" | "retirement" | "tired_landlord" | "other";
        strength: "strong" | "moderate" | "weak";
        evidence: string;
      }) | null;
      timelineDays: number | null;
      condition: ("move_in_ready" | "needs_some_work" | "needs_major_repairs") | null;
      conditionNotes: string | null;
      priceCents: number | null;
    };
    estimateCents: number | null;
    optedOut: boolean;
    /** GHL's do-not-disturb flag for SMS */
    dnd: boolean;
    /** active: the assistant is talking; human: an agent took over; paused; done */
    botState: "active" | "paused" | "human" | "done";
    assignedAgentId: string | null;
    takenOverBy: string | null;
    /** First inbound message → first outbound message */
    speedToLeadMs: number | null;
    firstInboundAt: string | null;
    firstOutboundAt: string | null;
    lastInboundAt: string | null;
    lastOutboundAt: string | null;
    qualifiedAt: string | null;
    opportunityStatus: string | null;
    createdAt: string;
    updatedAt: string;
  };
  LeadChurn: {
    leadId: string;
    /** Latest churn risk, 0–1 (null: not assessed yet) */
    risk: number | null;
    drivers: Array<{
      /** reply_recency | response_rate_decay | unanswered_outbound | stage_stagnation | sentiment_trend (a CSV-trained model's column outside the feature row: its own name) */
      driver: string;
      /** Log-odds this driver added (+) or removed (−) */
      contribution: number;
      /** What the driver saw, in plain words */
      evidence: string;
    }>;
    /** `churn-prior-v1` = the documented prior, else the trained churn version id (mdl_…) */
    modelVersion: string | null;
    /** The model that produced the latest risk (null: not assessed yet) */
    model: ({
      source: "prior" | "trained";
      /** Same as modelVersion */
      id: string;
      /** The churn version number (GET /v1/models); null for the prior */
      version: number | null;
      /** A CSV import, or the tenant’s own resolved episodes; null for the prior */
      trainedOn: ("csv" | "outcomes") | null;
    }) | null;
    assessedAt: string | null;
    /** Newest first (up to 30) */
    history: Array<{
      risk: number;
      assessedAt: string;
    }>;
    /** The newest going-cold episode, or null */
    episode: ({
      id: string;
      /** holdout: no intervention, the comparison group */
      group: "treated" | "holdout";
      outcome: "pending" | "saved" | "not_saved";
      riskAtDetection: number;
      stageAtDetection: string;
      detectedAt: string;
      firstActionAt: string | null;
      resolvedAt: string | null;
      interventions: Array<{
        id: string;
        step: number;
        kind: "re_engage" | "agent_task" | "escalate";
        status: "scheduled" | "done" | "skipped" | "cancelled" | "failed";
        scheduledFor: string;
        executedAt: string | null;
        /** Message or alert id, or why it was skipped / cancelled */
        detail: {
          [key: string]: unknown;
        };
      }>;
    }) | null;
  };
  Login: {
    tenant: string;
    email: string;
    password: string;
    /** `body` (default): the refresh token is in the answer. `cookie`: it is set as an HttpOnly cookie for /v1/auth and left out of the answer (browsers). */
    session?: "body" | "cookie";
  };
  Logout: {
    refreshToken?: string;
  };
  Message: {
    id: string;
    leadId: string;
    direction: "inbound" | "outbound";
    sender: "lead" | "bot" | "agent" | "system";
    senderUserId: string | null;
    body: string;
    /** Why it was sent: reply, first_touch, follow_up, opt_out_confirmation, help, agent… */
    kind: string | null;
    /** received (inbound); queued → sent | deferred (quiet hours, GHL busy) | suppressed (rules) | failed */
    status: "received" | "queued" | "deferred" | "sending" | "sent" | "failed" | "suppressed";
    /** claude | deterministic | template, for bot messages */
    generatedBy: string | null;
    /** Why a message was suppressed or failed */
    error: string | null;
    scheduledFor: string | null;
    at: string;
    sentAt: string | null;
    replyLatencyMs: number | null;
  };
  Model: {
    kind: "sell" | "buy" | "refinance" | "invest" | "churn";
    active: ({
      id: string;
      version: number;
      learner: string;
      source: "csv" | "outcomes";
      metrics: Schemas["ModelMetrics"];
      features: Array<string>;
      activatedAt: string | null;
    }) | null;
    /** true: no trained version is active, the documented priors drive the scores */
    prior: boolean;
    /** Newest first, without the model itself */
    versions: Array<Schemas["ModelVersion"]>;
    /** Live precision: of the alerts of this kind with a recorded outcome, the share that converted (churn raises none: its outcomes are in GET /v1/churn/summary) */
    alerts: {
      alertsWithOutcome: number;
      converted: number;
      precision: number | null;
    };
  };
  ModelMetrics: {
    /** Cross-validated ROC AUC */
    auc: number | null;
    brier: number | null;
    /** Expected calibration error (10 bins) */
    ece: number | null;
    accuracy: number | null;
    logLoss?: number | null;
    /** Of the rows scored at or above the tenant's threshold, the share with label 1 (converted; for churn, not saved); null when none reach it */
    precisionAtThreshold: number | null;
    /** The tenant's alertThreshold (for churn: churn.riskThreshold) when the model was trained */
    threshold: number;
    folds: number;
    /** Rows trained on */
    n: number;
    /** Of which label 1 (converted; for churn, not saved) */
    positives: number;
  };
  ModelTraining: {
    id: string;
    kind: "sell" | "buy" | "refinance" | "invest" | "churn";
    source: "csv" | "outcomes";
    /** queued → parsing → training → succeeded (new version active) | rejected (stored, not better) | failed (see error) */
    status: "queued" | "parsing" | "training" | "succeeded" | "rejected" | "failed";
    label: string;
    exclude: Array<string>;
    progress: ({
      rowsParsed: number;
      rowsTotal: number | null;
      foldsDone: number;
      foldsTotal: number;
      phase: string;
    }) | null;
    badRows: Array<{
      /** 1-based line in the uploaded file */
      line: number;
      message: string;
    }>;
    badRowCount: number;
    error: string | null;
    createdBy: string | null;
    createdAt: string;
    startedAt: string | null;
    finishedAt: string | null;
    result: ({
      modelVersion: string;
      version: number;
      status: "active" | "candidate" | "rejected" | "retired";
      metrics: Schemas["ModelMetrics"];
      decision: string | null;
    }) | null;
  };
  ModelVersion: {
    id: string;
    kind: "sell" | "buy" | "refinance" | "invest" | "churn";
    version: number;
    status: "active" | "candidate" | "rejected" | "retired";
    /** logistic | gbt | blend (chosen by cross-validated log-loss) */
    learner: string;
    source: "csv" | "outcomes";
    metrics: Schemas["ModelMetrics"];
    /** Source columns the model reads */
    features: Array<string>;
    trainingId: string | null;
    /** Why it is (not) the active version */
    decision: string | null;
    createdBy: string | null;
    activatedAt: string | null;
    createdAt: string;
  };
  Notification: {
    id: string;
    /** hot_lead | human_requested | hostile_reply */
    kind: string;
    leadId: string | null;
    title: string;
    body: string;
    data: {
      [key: string]: unknown;
    } | null;
    readAt: string | null;
    createdAt: string;
  };
  PredictRequest: {
    rows: Array<{
      [key: string]: string | number | boolean | null;
    }>;
    topReasons?: number;
  };
  ProvisionTenant: {
    name: string;
    slug?: string;
    timezone?: string;
    owner: {
      email: string;
      name: string;
      password: string;
    };
  };
  Refresh: {
    refreshToken?: string;
  };
  RoutingDecision: {
    ruleId: string;
    strategy: "least_loaded" | "round_robin" | "broadcast";
    agents: Array<{
      id: string;
      name: string;
    }>;
    slaMinutes: number;
    why: Array<string>;
    decisionMs: number;
  };
  RoutingRules: Array<{
    id: string;
    name: string;
    when?: {
      kinds?: Array<"sell" | "buy" | "refinance" | "invest" | "hot_lead" | "human_requested" | "churn_risk">;
      zipPrefixes?: Array<string>;
      temperatures?: Array<"hot" | "warm" | "cold">;
      minProbability?: number;
    };
    pool?: {
      agentIds?: Array<string>;
      skills?: Array<string>;
      preferTerritory?: boolean;
    };
    strategy: "least_loaded" | "round_robin" | "broadcast";
    slaMinutes?: number;
  }>;
  Session: {
    accessToken: string;
    /** Absent in cookie mode: the refresh token is then the HttpOnly `lp_refresh` cookie */
    refreshToken?: string;
    /** Seconds until the access token expires */
    expiresIn: number;
  };
  Tenant: {
    id: string;
    slug: string;
    name: string;
    timezone: string;
    settings: {
      [key: string]: unknown;
    };
    createdAt: string;
    updatedAt: string;
  };
  TrainingResult: {
    trainingId: string;
    /** The stored version id (mdl_…) */
    modelVersion: string;
    version: number;
    status: "active" | "rejected";
    metrics: Schemas["ModelMetrics"];
    decision: string;
    /** Rows left out, with their line numbers (the first 200) */
    badRows: Array<{
      /** 1-based line in the uploaded file */
      line: number;
      message: string;
    }>;
    badRowCount: number;
  };
  UpdateTenant: {
    name?: string;
    timezone?: string;
    /** Deep-merged into the current settings; the result is validated as a whole */
    settings?: {
      quietHours?: {
        [key: string]: unknown;
      };
      consent?: {
        [key: string]: unknown;
      };
      businessRules?: {
        [key: string]: unknown;
      };
      botPersona?: {
        [key: string]: unknown;
      };
      alertThreshold?: number;
      alerting?: {
        [key: string]: unknown;
      };
      businessHours?: {
        [key: string]: unknown;
      };
      signalThresholds?: {
        [key: string]: unknown;
      };
      followUps?: {
        [key: string]: unknown;
      };
      churn?: {
        [key: string]: unknown;
      };
      impact?: {
        [key: string]: unknown;
      };
      consentTags?: Array<string>;
    };
  };
  UpdateUser: {
    name?: string;
    role?: "owner" | "admin" | "manager" | "agent" | "viewer";
    territories?: Array<string>;
    skills?: Array<string>;
    capacity?: number;
    workingHours?: {
      [key: string]: Array<[string, string]>;
    } | null;
    paused?: boolean;
  };
  User: {
    id: string;
    email: string;
    name: string;
    role: "owner" | "admin" | "manager" | "agent" | "viewer";
    territories: Array<string>;
    skills: Array<string>;
    capacity: number;
    workingHours: {
      [key: string]: Array<[string, string]>;
    } | null;
    paused: boolean;
    lastLoginAt: string | null;
    createdAt: string;
    updatedAt: string;
  };
  WebhookDelivery: {
    /** Sent as LeadPulse-Delivery and as the body id */
    id: string;
    type: string;
    status: "pending" | "delivered" | "failed";
    attempts: number;
    lastStatusCode: number | null;
    lastError: string | null;
    createdAt: string;
    deliveredAt: string | null;
  };
  WebhookEndpoint: {
    url: string;
    enabled: boolean;
    createdAt: string;
    updatedAt: string;
    /** When the last attempt was made (successful or not) */
    lastDeliveryAt: string | null;
    /** The receiver's status on the last attempt; null when it did not answer */
    lastStatusCode: number | null;
    lastError: string | null;
    /** The 20 newest, newest first */
    recentDeliveries: Array<Schemas["WebhookDelivery"]>;
  };
}

/** Every operation: its permission, parameters, body and success answer. Paths are relative to /v1. */
export interface Paths {
  "/alerts": {
    /** Alerts, newest first (agents: routed to them, or not routed yet) */
    get: {
      permission: "alerts:read";
      query: { status?: "new" | "delivered" | "acknowledged" | "claimed" | "converted" | "dismissed" | "expired"; kind?: string; agentId?: string; leadId?: string; since?: string; limit?: number };
      status: 200;
      response: {
        alerts: Array<Schemas["Alert"]>;
      };
    };
  };
  "/alerts/{id}/ack": {
    /** Acknowledge: I have seen it */
    post: {
      permission: "alerts:write";
      path: { id: string };
      status: 200;
      response: {
        alert: Schemas["Alert"];
      };
    };
  };
  "/alerts/{id}/claim": {
    /** Claim: it is mine (first to claim wins; the lead is assigned to me) */
    post: {
      permission: "alerts:write";
      path: { id: string };
      status: 200;
      response: {
        alert: Schemas["Alert"];
      };
    };
  };
  "/alerts/{id}/dismiss": {
    /** Dismiss: not actionable */
    post: {
      permission: "alerts:write";
      path: { id: string };
      status: 200;
      response: {
        alert: Schemas["Alert"];
      };
    };
  };
  "/alerts/{id}/outcome": {
    /** Record the outcome (feeds model training) */
    post: {
      permission: "alerts:write";
      path: { id: string };
      body: {
        converted: boolean;
      };
      status: 200;
      response: {
        alert: Schemas["Alert"];
      };
    };
  };
  "/alerts/{id}/routing": {
    /** Why the alert went where it went (the routing why-log) */
    get: {
      permission: "alerts:read";
      path: { id: string };
      status: 200;
      response: {
        alertId: string;
        assignedAgentIds: Array<string>;
        slaMinutes: number | null;
        ruleId: string | null;
        strategy: string | null;
        why: Array<string>;
      };
    };
  };
  "/api-keys": {
    /** List API keys (never the keys themselves) */
    get: {
      permission: "api_keys:read";
      status: 200;
      response: {
        apiKeys: Array<Schemas["ApiKey"]>;
      };
    };
    /** Create a scoped API key (shown once) */
    post: {
      permission: "api_keys:write";
      body: Schemas["CreateApiKey"];
      status: 201;
      response: Schemas["ApiKey"] & {
        /** Shown once */
        key: string;
      };
    };
  };
  "/api-keys/{id}": {
    /** Revoke an API key (at once; idempotent) */
    delete: {
      permission: "api_keys:write";
      path: { id: string };
      status: 200;
      response: Schemas["ApiKey"];
    };
  };
  "/audit-log": {
    /** Privileged actions, newest first (filter by actor, action, since; page with before) */
    get: {
      permission: "audit:read";
      query: { actor?: string; action?: string; since?: string; before?: string; limit?: number };
      status: 200;
      response: {
        entries: Array<Schemas["AuditEntry"]>;
      };
    };
  };
  "/auth/login": {
    /** Sign in with tenant, email and password */
    post: {
      permission: "public";
      body: Schemas["Login"];
      status: 200;
      response: Schemas["Session"] & ({
        user: {
          id: string;
          email: string;
          name: string;
          role: "owner" | "admin" | "manager" | "agent" | "viewer";
          tenantId: string;
        };
      });
    };
  };
  "/auth/logout": {
    /** End this sign-in: its refresh token family is revoked */
    post: {
      permission: "tenant:read";
      body: Schemas["Logout"];
      status: 204;
      response: void;
    };
  };
  "/auth/refresh": {
    /** Exchange a refresh token for a new pair (each refresh token works once) */
    post: {
      permission: "public";
      body: Schemas["Refresh"];
      status: 200;
      response: Schemas["Session"];
    };
  };
  "/billing": {
    /** The tenant's plan, subscription status and seats */
    get: {
      permission: "tenant:read";
      status: 200;
      response: Schemas["Billing"];
    };
  };
  "/billing/checkout": {
    /** Start a Stripe Checkout for a paid plan (owners and admins) */
    post: {
      permission: "tenant:write";
      body: Schemas["CheckoutRequest"];
      status: 200;
      response: {
        url: string;
      };
    };
  };
  "/billing/portal": {
    /** Open the Stripe Customer Portal for the tenant's subscription: seats, plan, card, invoices, cancelling (owners and admins) */
    post: {
      permission: "tenant:write";
      status: 200;
      response: {
        url: string;
      };
    };
  };
  "/churn/summary": {
    /** Going-cold prevention: at-risk leads, interventions, outcomes, and saves against the random holdout */
    get: {
      permission: "analytics:read";
      query: { from?: string; to?: string };
      status: 200;
      response: Schemas["ChurnSummary"];
    };
  };
  "/coaching/agents/{id}": {
    /** An agent's coaching: the latest report, or one computed now (rules) when none exists or a period is given. Agents read only their own */
    get: {
      permission: "users:read";
      path: { id: string };
      query: { from?: string; to?: string };
      status: 200;
      response: Schemas["CoachingReport"];
    };
  };
  "/coaching/agents/{id}/analyze": {
    /** Run a fresh coaching analysis (Claude when configured, rules otherwise), store it and return it. Agents analyze only themselves; one analysis per agent per minute (429 with Retry-After) */
    post: {
      permission: "leads:write";
      path: { id: string };
      body: {
        /** Start of the period, inclusive (default: 30 days before `to`) */
        from?: string;
        /** End of the period, exclusive (default: now); at most 366 days after `from` */
        to?: string;
      };
      status: 200;
      response: Schemas["CoachingReport"];
    };
  };
  "/coaching/team": {
    /** Every agent's coaching metrics beside the team medians (the manager's team view) */
    get: {
      permission: "analytics:read";
      query: { from?: string; to?: string };
      status: 200;
      response: {
        period: {
          from: string;
          to: string;
        };
        team: Schemas["CoachingTeamMetrics"];
        agents: Array<{
          agentId: string;
          name: string;
          role: string;
          metrics: Schemas["CoachingMetrics"];
          insights: number;
          topInsight: string;
        }>;
        definitions: {
          [key: string]: string;
        };
      };
    };
  };
  "/compliance/consent-ledger": {
    /** Export the consent ledger (JSON or CSV), oldest first */
    get: {
      permission: "audit:read";
      query: { from?: string; to?: string; format?: "json" | "csv" };
      status: 200;
      response: {
        events: Array<Schemas["ConsentEvent"]>;
      };
    };
  };
  "/compliance/do-not-contact": {
    /** The tenant's internal do-not-contact list */
    get: {
      permission: "leads:read";
      status: 200;
      response: {
        entries: Array<Schemas["DoNotContact"]>;
      };
    };
    /** Add a phone number: no automated or agent text goes to it */
    post: {
      permission: "leads:write";
      body: {
        phone: string;
        reason?: string;
      };
      status: 201;
      response: {
        entry: Schemas["DoNotContact"];
      };
    };
  };
  "/compliance/do-not-contact/{phone}": {
    /** Remove a phone number from the list */
    delete: {
      permission: "leads:write";
      path: { phone: string };
      status: 204;
      response: void;
    };
  };
  "/dashboard": {
    /** The manager dashboard for a date range: hero metrics, funnel, distributions, commission, alert outcomes, leaderboard */
    get: {
      permission: "analytics:read";
      query: { from?: string; to?: string; agentId?: string };
      status: 200;
      response: Schemas["Dashboard"];
    };
  };
  "/events": {
    /** Ingest up to 1000 behavioural events (idempotent by event id) */
    post: {
      permission: "events:write";
      body: {
        events: Array<{
          /** Your id for the event; sending it again is a no-op (idempotency) */
          id?: string;
          leadId?: string;
          /** Your id for the homeowner/prospect; unknown ones are created */
          externalId?: string;
          type: string;
          properties?: {
            [key: string]: unknown;
          };
          occurredAt: string;
        }>;
      };
      status: 202;
      response: {
        accepted: number;
        duplicates: number;
      };
    };
  };
  "/experiments": {
    /** Experiments, newest first */
    get: {
      permission: "tenant:read";
      status: 200;
      response: {
        experiments: Array<Schemas["Experiment"]>;
      };
    };
    /** Create an experiment (draft) on a lever, with weighted variants; the first variant is the control */
    post: {
      permission: "tenant:write";
      body: {
        key: string;
        name: string;
        /** What counts as a conversion: lead_qualified (the default, recorded by the assistant when a lead qualifies), alert_converted (recorded when an alert about the lead gets the outcome converted: the natural goal of a routing_strategy experiment), or any event an outside system posts to /conversions */
        conversionEvent?: string;
        lever: "assistant_script";
        variants: Array<{
          key: string;
          weight: number;
          config: {
            /** The wording the seller assistant uses for the lead (opening and questions): standard (the tenant's templates, the usual control), direct (short and plain), consultative (says why each question helps) */
            scriptVariant: "standard" | "direct" | "consultative";
          };
        }>;
      } | {
        key: string;
        name: string;
        /** What counts as a conversion: lead_qualified (the default, recorded by the assistant when a lead qualifies), alert_converted (recorded when an alert about the lead gets the outcome converted: the natural goal of a routing_strategy experiment), or any event an outside system posts to /conversions */
        conversionEvent?: string;
        lever: "follow_up_cadence";
        variants: Array<{
          key: string;
          weight: number;
          config: {
            cadenceMinutes: Array<number>;
          };
        }>;
      } | {
        key: string;
        name: string;
        /** What counts as a conversion: lead_qualified (the default, recorded by the assistant when a lead qualifies), alert_converted (recorded when an alert about the lead gets the outcome converted: the natural goal of a routing_strategy experiment), or any event an outside system posts to /conversions */
        conversionEvent?: string;
        lever: "routing_strategy";
        variants: Array<{
          key: string;
          weight: number;
          config: {
            /** Replaces the strategy of whichever routing rule matches the lead's alerts */
            strategy: "least_loaded" | "round_robin" | "broadcast";
          };
        }>;
      };
      status: 201;
      response: {
        experiment: Schemas["Experiment"];
      };
    };
  };
  "/experiments/{id}": {
    /** An experiment with its results: per-variant conversion, lift vs control, 95 % interval, z-test, sample-ratio check */
    get: {
      permission: "tenant:read";
      path: { id: string };
      status: 200;
      response: {
        experiment: Schemas["Experiment"];
        report: Schemas["ExperimentReport"];
      };
    };
  };
  "/experiments/{id}/conversions": {
    /** Record a conversion for an exposed unit (once per unit and event) */
    post: {
      permission: "leads:write";
      path: { id: string };
      body: {
        /** What is assigned: usually a lead id */
        unit: string;
        /** Defaults to the experiment's conversion event */
        event?: string;
      };
      status: 200;
      response: {
        /** False when already recorded, or the unit was never exposed, or the event is not the one this experiment counts */
        recorded: boolean;
        event: string;
        /** Whether this event is the experiment's conversion event */
        counted: boolean;
      };
    };
  };
  "/experiments/{id}/exposures": {
    /** Expose a unit (from outside): its variant and configuration; the first exposure is recorded and sticks */
    post: {
      permission: "leads:write";
      path: { id: string };
      body: {
        /** What is assigned: usually a lead id */
        unit: string;
      };
      status: 200;
      response: {
        variant: string;
        config: {
          [key: string]: unknown;
        };
      };
    };
  };
  "/experiments/{id}/start": {
    /** Start a draft (one running experiment per lever) */
    post: {
      permission: "tenant:write";
      path: { id: string };
      status: 200;
      response: {
        experiment: Schemas["Experiment"];
      };
    };
  };
  "/experiments/{id}/stop": {
    /** Stop a running experiment (its results stay; late conversions of exposed units still count) */
    post: {
      permission: "tenant:write";
      path: { id: string };
      status: 200;
      response: {
        experiment: Schemas["Experiment"];
      };
    };
  };
  "/flags": {
    /** The tenant's feature flags */
    get: {
      permission: "tenant:read";
      status: 200;
      response: {
        flags: Array<Schemas["FeatureFlag"]>;
      };
    };
  };
  "/flags/{key}": {
    /** Create or change a flag (applies to every unit at once; audited) */
    put: {
      permission: "tenant:write";
      path: { key: string };
      body: {
        enabled: boolean;
        rolloutPct: number;
        description?: string | null;
      };
      status: 200;
      response: {
        flag: Schemas["FeatureFlag"];
      };
    };
  };
  "/flags/{key}/evaluate": {
    /** Who gets what: the answer for one unit now, why, and what it got when first evaluated */
    get: {
      permission: "tenant:read";
      path: { key: string };
      query: { unit: string };
      status: 200;
      response: {
        flag: string;
        unit: string;
        /** 0–9999; on when enabled and bucket < rolloutPct × 100 */
        bucket: number;
        on: boolean;
        reason: "kill_switch" | "in_rollout" | "outside_rollout";
        /** History only: the current answer comes from the flag as it is now */
        firstAssignment: {
          on: boolean;
          bucket: number;
          assignedAt: string;
        } | null;
      };
    };
  };
  "/impact": {
    /** Business impact per feature: measured use and success, priced with the tenant’s assumptions (daily roll-ups) */
    get: {
      permission: "analytics:read";
      query: { from?: string; to?: string };
      status: 200;
      response: {
        range: {
          from: string;
          to: string;
          days: number;
        };
        features: Array<{
          feature: "intelligence" | "churn_prevention" | "coaching" | "seller_assistant";
          measured: {
            uses: number;
            successes: number;
            inputTokens: number;
            outputTokens: number;
            definitions: {
              uses: string;
              successes: string;
            };
          };
          assumptions: {
            conversionLift: number;
            valuePerSuccessCents: number;
            minutesSavedPerUse: number;
            agentHourCents: number;
          };
          /** successes × conversion lift × value per success */
          revenueImpactCents: number;
          timeSavedHours: number;
          /** time saved × agent hour */
          timeValueCents: number;
          cost: {
            aiCents: number;
            infraCents: number;
            totalCents: number;
          };
          netImpactCents: number;
          /** net impact ÷ operating cost */
          roi: number | null;
        }>;
        totals: {
          revenueImpactCents: number;
          timeValueCents: number;
          operatingCostCents: number;
          netImpactCents: number;
          roi: number | null;
        };
        assumptions: {
          valuePerSuccess: string;
          infraCostPerDayCents: number;
          aiCentsPerMTok: {
            input: number;
            output: number;
          };
        };
        /** When the newest roll-up in the range was computed (the job runs daily) */
        computedAt: string | null;
      };
    };
  };
  "/integrations/ghl": {
    /** GHL connection status: last webhook, last send, last error */
    get: {
      permission: "tenant:read";
      status: 200;
      response: {
        ghl: (Schemas["GhlConnection"]) | null;
      };
    };
    /** Connect the tenant to a GoHighLevel location (webhooks are routed by its locationId) */
    put: {
      permission: "integrations:write";
      body: {
        locationId: string;
        /** Location (private integration) token; stored encrypted, never returned */
        apiToken: string;
        fromNumber?: string;
      };
      status: 200;
      response: {
        ghl: Schemas["GhlConnection"];
      };
    };
  };
  "/integrations/webhook": {
    /** The outbound webhook: URL, last attempt, recent deliveries */
    get: {
      permission: "integrations:write";
      status: 200;
      response: Schemas["WebhookEndpoint"];
    };
    /** Set the tenant's outbound webhook (signed deliveries of alerts and other events) */
    put: {
      permission: "integrations:write";
      body: {
        /** https only; plain http is accepted for localhost, 127.0.0.1 and [::1] (local development) */
        url: string;
        /** HMAC-SHA256 key for LeadPulse-Signature; stored encrypted, never returned. Required the first time; omit to keep the current one. */
        secret?: string;
        /** Default true */
        enabled?: boolean;
      };
      status: 200;
      response: Schemas["WebhookEndpoint"];
    };
    /** Remove the outbound webhook (deliveries still queued end as failed) */
    delete: {
      permission: "integrations:write";
      status: 204;
      response: void;
    };
  };
  "/integrations/webhook/test": {
    /** Send a signed `webhook.test` event to the endpoint (through the same queue and retries) */
    post: {
      permission: "integrations:write";
      status: 202;
      response: {
        deliveryId: string;
      };
    };
  };
  "/leads": {
    /** Leads, most recently active first (agents see their own and unassigned ones) */
    get: {
      permission: "leads:read";
      query: { stage?: "new" | "q1" | "q2" | "q3" | "q4" | "qualified" | "appointment" | "contract" | "closed" | "lost"; temperature?: "hot" | "warm" | "cold"; assignedAgentId?: string; externalId?: string; updatedSince?: string; limit?: number; cursor?: string };
      status: 200;
      response: {
        leads: Array<Schemas["Lead"]>;
        nextCursor: string | null;
      };
    };
  };
  "/leads/{id}": {
    /** One lead with its qualification, temperature and speed-to-lead */
    get: {
      permission: "leads:read";
      path: { id: string };
      status: 200;
      response: {
        lead: Schemas["Lead"];
      };
    };
  };
  "/leads/{id}/churn": {
    /** Churn (going-cold) risk with its drivers, the risk history, and the newest episode with its interventions */
    get: {
      permission: "leads:read";
      path: { id: string };
      status: 200;
      response: Schemas["LeadChurn"];
    };
  };
  "/leads/{id}/consent": {
    /** The lead's consent history, newest first, and the consent in force */
    get: {
      permission: "leads:read";
      path: { id: string };
      status: 200;
      response: {
        current: ("granted" | "revoked") | null;
        events: Array<Schemas["ConsentEvent"]>;
      };
    };
    /** Record consent captured outside SMS (web form, call); revoking also opts the lead out */
    post: {
      permission: "leads:write";
      path: { id: string };
      body: {
        action: "granted" | "revoked";
        method: "form" | "verbal" | "written" | "api";
        source?: string;
        /** The exact consent language the lead agreed to */
        formText?: string;
        ip?: string;
        occurredAt?: string;
      };
      status: 201;
      response: {
        event: Schemas["ConsentEvent"];
      };
    };
  };
  "/leads/{id}/messages": {
    /** The lead's conversation, oldest first (both directions, with delivery status) */
    get: {
      permission: "leads:read";
      path: { id: string };
      query: { limit?: number; before?: string };
      status: 200;
      response: {
        messages: Array<Schemas["Message"]>;
      };
    };
    /** Reply to the lead as the agent (sent through GHL; the bot keeps its state) */
    post: {
      permission: "leads:write";
      path: { id: string };
      body: {
        body: string;
        /** Resending with the same key never texts twice */
        idempotencyKey?: string;
      };
      status: 201;
      response: {
        message: Schemas["Message"];
      };
    };
  };
  "/leads/{id}/release": {
    /** Hand the conversation back to the bot (it answers the lead's next message) */
    post: {
      permission: "leads:write";
      path: { id: string };
      status: 200;
      response: {
        lead: Schemas["Lead"];
      };
    };
  };
  "/leads/{id}/scores": {
    /** Lead score 0–100, the four model probabilities with reasons, and the signals behind them */
    get: {
      permission: "leads:read";
      path: { id: string };
      status: 200;
      response: {
        leadId: string;
        leadScore: number;
        scoredAt: string | null;
        models: {
          sell?: {
            probability: number;
            /** `prior-v1` (documented priors) until the tenant has a trained model for this kind */
            modelVersion: string;
            reasons: Array<{
              feature: string;
              /** Log-odds this feature added (+) or removed (−) */
              contribution: number;
            }>;
            scoredAt: string;
          };
          buy?: {
            probability: number;
            /** `prior-v1` (documented priors) until the tenant has a trained model for this kind */
            modelVersion: string;
            reasons: Array<{
              feature: string;
              /** Log-odds this feature added (+) or removed (−) */
              contribution: number;
            }>;
            scoredAt: string;
          };
          refinance?: {
            probability: number;
            /** `prior-v1` (documented priors) until the tenant has a trained model for this kind */
            modelVersion: string;
            reasons: Array<{
              feature: string;
              /** Log-odds this feature added (+) or removed (−) */
              contribution: number;
            }>;
            scoredAt: string;
          };
          invest?: {
            probability: number;
            /** `prior-v1` (documented priors) until the tenant has a trained model for this kind */
            modelVersion: string;
            reasons: Array<{
              feature: string;
              /** Log-odds this feature added (+) or removed (−) */
              contribution: number;
            }>;
            scoredAt: string;
          };
        };
        signals: Array<{
          type: string;
          category: "engagement" | "financial" | "life_property";
          strength: number;
          confidence: number;
          evidence: string;
        }>;
      };
    };
  };
  "/leads/{id}/takeover": {
    /** Take the conversation over: the bot goes silent for this lead until released */
    post: {
      permission: "leads:write";
      path: { id: string };
      status: 200;
      response: {
        lead: Schemas["Lead"];
      };
    };
  };
  "/me": {
    /** Who am I: the signed-in user (or API key), tenant and permissions */
    get: {
      permission: "tenant:read";
      status: 200;
      response: {
        user: Schemas["User"] | null;
        apiKey: {
          id: string;
          scopes: Array<string>;
        } | null;
        tenant: {
          id: string;
          slug: string;
          name: string;
          timezone: string;
        };
        permissions: Array<string>;
      };
    };
  };
  "/models": {
    /** The four propensity models and churn: active version or priors, stored versions, live alert precision */
    get: {
      permission: "analytics:read";
      query: { versions?: number };
      status: 200;
      response: {
        models: Array<Schemas["Model"]>;
      };
    };
  };
  "/models/trainings/{id}": {
    /** A training run: status, progress, rows left out (with line numbers), error, result */
    get: {
      permission: "analytics:read";
      path: { id: string };
      status: 200;
      response: Schemas["ModelTraining"];
    };
  };
  "/models/{kind}/predict": {
    /** Probabilities and reasons from the tenant's active model */
    post: {
      permission: "leads:read";
      path: { kind: "sell" | "buy" | "refinance" | "invest" | "churn" };
      body: Schemas["PredictRequest"];
      status: 200;
      response: {
        modelVersion: string;
        version: number;
        predictions: Array<{
          probability: number;
          reasons: Array<{
            feature: string;
            /** Log-odds moved by this column (+ raises the probability) */
            contribution: number;
          }>;
        }>;
      };
    };
  };
  "/models/{kind}/train": {
    /** Train a model from a CSV of historical leads with outcomes */
    post: {
      permission: "models:write";
      path: { kind: "sell" | "buy" | "refinance" | "invest" | "churn" };
      query: { label: string; exclude?: string; wait?: string };
      status: 200;
      response: Schemas["TrainingResult"];
    };
  };
  "/models/{kind}/versions/{version}/activate": {
    /** Make a stored version the active one (manual rollback); audited */
    post: {
      permission: "models:write";
      path: { kind: "sell" | "buy" | "refinance" | "invest" | "churn"; version: number };
      status: 200;
      response: {
        version: Schemas["ModelVersion"];
        /** false when it was already active */
        changed: boolean;
        /** The version it replaced */
        replaced: number | null;
      };
    };
  };
  "/notifications": {
    /** The signed-in user's notifications, newest first */
    get: {
      permission: "alerts:read";
      query: { unread?: "true" | "false"; limit?: number };
      status: 200;
      response: {
        notifications: Array<Schemas["Notification"]>;
      };
    };
  };
  "/notifications/{id}/read": {
    /** Mark one of my notifications read */
    post: {
      permission: "alerts:read";
      path: { id: string };
      status: 200;
      response: {
        notification: Schemas["Notification"];
      };
    };
  };
  "/realtime/ticket": {
    /** A single-use ticket for GET /v1/realtime?ticket=… (valid 60 s; signed-in people only, not API keys) */
    post: {
      permission: "alerts:read";
      status: 200;
      response: {
        ticket: string;
        expiresAt: string;
      };
    };
  };
  "/routing/preview": {
    /** Test-route an alert against the current rules and team: who would get it, and why (nothing is created) */
    post: {
      permission: "routing:write";
      body: {
        kind: "sell" | "buy" | "refinance" | "invest" | "hot_lead" | "human_requested" | "churn_risk";
        probability?: number;
        temperature?: "hot" | "warm" | "cold";
        postalCode?: string;
        city?: string;
        state?: string;
      };
      status: 200;
      response: {
        decision: Schemas["RoutingDecision"];
      };
    };
  };
  "/routing/rules": {
    /** The ordered routing rules (first match decides; none = everyone, least loaded) */
    get: {
      permission: "tenant:read";
      status: 200;
      response: {
        rules: Schemas["RoutingRules"];
      };
    };
    /** Replace the routing rules */
    put: {
      permission: "routing:write";
      body: {
        rules: Schemas["RoutingRules"];
      };
      status: 200;
      response: {
        rules: Schemas["RoutingRules"];
      };
    };
  };
  "/tenant": {
    /** The caller's tenant and its settings */
    get: {
      permission: "tenant:read";
      status: 200;
      response: Schemas["Tenant"];
    };
    /** Update name, time zone and settings (quiet hours, consent, business rules, bot persona, alerting, business hours, signal thresholds, follow-ups) */
    patch: {
      permission: "tenant:write";
      body: Schemas["UpdateTenant"];
      status: 200;
      response: Schemas["Tenant"];
    };
  };
  "/tenants": {
    /** Provision a tenant with its owner and a first API key (platform token) */
    post: {
      permission: "platform";
      body: Schemas["ProvisionTenant"];
      status: 201;
      response: {
        tenant: Schemas["Tenant"];
        owner: {
          id: string;
          email: string;
          name: string;
          role: "owner" | "admin" | "manager" | "agent" | "viewer";
        };
        /** Shown once; store it now */
        apiKey: string;
      };
    };
  };
  "/users": {
    /** List the team */
    get: {
      permission: "users:read";
      status: 200;
      response: {
        users: Array<Schemas["User"]>;
      };
    };
    /** Add a team member */
    post: {
      permission: "users:write";
      body: Schemas["CreateUser"];
      status: 201;
      response: Schemas["User"];
    };
  };
  "/users/{id}": {
    /** One team member */
    get: {
      permission: "users:read";
      path: { id: string };
      status: 200;
      response: Schemas["User"];
    };
    /** Change role, territories, skills, capacity, working hours or pause */
    patch: {
      permission: "users:write";
      path: { id: string };
      body: Schemas["UpdateUser"];
      status: 200;
      response: Schemas["User"];
    };
    /** Remove a team member (their history stays; sign-ins end) */
    delete: {
      permission: "users:write";
      path: { id: string };
      status: 204;
      response: void;
    };
  };
}

/** The permission each operation needs (x-permission): what role-aware navigation checks. */
export const OPERATIONS = {
  "GET /alerts": "alerts:read",
  "POST /alerts/{id}/ack": "alerts:write",
  "POST /alerts/{id}/claim": "alerts:write",
  "POST /alerts/{id}/dismiss": "alerts:write",
  "POST /alerts/{id}/outcome": "alerts:write",
  "GET /alerts/{id}/routing": "alerts:read",
  "GET /api-keys": "api_keys:read",
  "POST /api-keys": "api_keys:write",
  "DELETE /api-keys/{id}": "api_keys:write",
  "GET /audit-log": "audit:read",
  "POST /auth/login": "public",
  "POST /auth/logout": "tenant:read",
  "POST /auth/refresh": "public",
  "GET /billing": "tenant:read",
  "POST /billing/checkout": "tenant:write",
  "POST /billing/portal": "tenant:write",
  "GET /churn/summary": "analytics:read",
  "GET /coaching/agents/{id}": "users:read",
  "POST /coaching/agents/{id}/analyze": "leads:write",
  "GET /coaching/team": "analytics:read",
  "GET /compliance/consent-ledger": "audit:read",
  "GET /compliance/do-not-contact": "leads:read",
  "POST /compliance/do-not-contact": "leads:write",
  "DELETE /compliance/do-not-contact/{phone}": "leads:write",
  "GET /dashboard": "analytics:read",
  "POST /events": "events:write",
  "GET /experiments": "tenant:read",
  "POST /experiments": "tenant:write",
  "GET /experiments/{id}": "tenant:read",
  "POST /experiments/{id}/conversions": "leads:write",
  "POST /experiments/{id}/exposures": "leads:write",
  "POST /experiments/{id}/start": "tenant:write",
  "POST /experiments/{id}/stop": "tenant:write",
  "GET /flags": "tenant:read",
  "PUT /flags/{key}": "tenant:write",
  "GET /flags/{key}/evaluate": "tenant:read",
  "GET /impact": "analytics:read",
  "GET /integrations/ghl": "tenant:read",
  "PUT /integrations/ghl": "integrations:write",
  "GET /integrations/webhook": "integrations:write",
  "PUT /integrations/webhook": "integrations:write",
  "DELETE /integrations/webhook": "integrations:write",
  "POST /integrations/webhook/test": "integrations:write",
  "GET /leads": "leads:read",
  "GET /leads/{id}": "leads:read",
  "GET /leads/{id}/churn": "leads:read",
  "GET /leads/{id}/consent": "leads:read",
  "POST /leads/{id}/consent": "leads:write",
  "GET /leads/{id}/messages": "leads:read",
  "POST /leads/{id}/messages": "leads:write",
  "POST /leads/{id}/release": "leads:write",
  "GET /leads/{id}/scores": "leads:read",
  "POST /leads/{id}/takeover": "leads:write",
  "GET /me": "tenant:read",
  "GET /models": "analytics:read",
  "GET /models/trainings/{id}": "analytics:read",
  "POST /models/{kind}/predict": "leads:read",
  "POST /models/{kind}/train": "models:write",
  "POST /models/{kind}/versions/{version}/activate": "models:write",
  "GET /notifications": "alerts:read",
  "POST /notifications/{id}/read": "alerts:read",
  "POST /realtime/ticket": "alerts:read",
  "POST /routing/preview": "routing:write",
  "GET /routing/rules": "tenant:read",
  "PUT /routing/rules": "routing:write",
  "GET /tenant": "tenant:read",
  "PATCH /tenant": "tenant:write",
  "POST /tenants": "platform",
  "GET /users": "users:read",
  "POST /users": "users:write",
  "GET /users/{id}": "users:read",
  "PATCH /users/{id}": "users:write",
  "DELETE /users/{id}": "users:write",
} as const;

export type OperationKey = keyof typeof OPERATIONS;
