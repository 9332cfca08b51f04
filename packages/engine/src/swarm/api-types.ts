/** The fields of the Engine API's Service, Task and Node objects (API 1.41) that Berth reads. */
export interface ApiService {
  ID: string;
  Version: { Index: number };
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec: {
    Name: string;
    Labels?: Record<string, string>;
    TaskTemplate: Record<string, unknown> & { ForceUpdate?: number };
    Mode: Record<string, unknown>;
    [key: string]: unknown;
  };
  PreviousSpec?: unknown;
  UpdateStatus?: { State?: string; StartedAt?: string; CompletedAt?: string; Message?: string };
  ServiceStatus?: { RunningTasks: number; DesiredTasks: number; CompletedTasks?: number };
  Endpoint?: {
    Ports?: { Protocol: string; TargetPort: number; PublishedPort?: number; PublishMode?: string }[];
  };
}

export interface ApiTask {
  ID: string;
  ServiceID: string;
  NodeID?: string;
  Slot?: number;
  CreatedAt: string;
  DesiredState: string;
  Spec: unknown;
  Status: {
    Timestamp?: string;
    State: string;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ExitCode?: number };
  };
}

export interface ApiNode {
  ID: string;
  Description?: { Hostname?: string };
}
