package dev.qdrantedge.engine.filter;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/** Geo conditions and the geometry behind them, on longitude/latitude degrees. */
public final class Geo {

    /** Mean earth radius in meters used for great-circle distances (the IUGG value, 6371.0088 km). */
    public static final double EARTH_RADIUS_METERS = 6_371_008.8;

    private Geo() {
    }

    /** A point; longitude in [-180, 180], latitude in [-90, 90]. */
    public record Point(double lon, double lat) {
        public Point {
            if (!(lon >= -180 && lon <= 180) || !(lat >= -90 && lat <= 90)) {
                throw new IllegalArgumentException("expected lat = " + lat + " within [-90;90] and lon = " + lon
                        + " within [-180;180]");
            }
        }
    }

    /**
     * {@code geo_bounding_box}: strictly inside the rectangle (edges excluded). When the top-left longitude
     * is greater than the bottom-right one, the box crosses the antimeridian.
     */
    public record BoundingBox(Point topLeft, Point bottomRight) {
        public BoundingBox {
            Objects.requireNonNull(topLeft, "topLeft");
            Objects.requireNonNull(bottomRight, "bottomRight");
        }

        public boolean contains(double lon, double lat) {
            boolean lonOk = topLeft.lon() > bottomRight.lon()
                    ? lon > topLeft.lon() || lon < bottomRight.lon()
                    : topLeft.lon() < lon && lon < bottomRight.lon();
            return lonOk && bottomRight.lat() < lat && lat < topLeft.lat();
        }
    }

    /** {@code geo_radius}: great-circle (haversine) distance from the center strictly less than the radius. */
    public record Radius(Point center, double radius) {
        public Radius {
            Objects.requireNonNull(center, "center");
        }

        public boolean contains(double lon, double lat) {
            return distanceMeters(center.lon(), center.lat(), lon, lat) < radius;
        }
    }

    /**
     * {@code geo_polygon}: strictly inside the exterior ring and outside (not on) every interior ring, on the
     * plane of longitude/latitude degrees. Points on any ring are not inside. Rings are closed (first point
     * equals last) and have at least 4 points.
     */
    public record Polygon(List<Point> exterior, List<List<Point>> interiors) {
        public Polygon {
            exterior = List.copyOf(exterior);
            interiors = interiors == null ? null : interiors.stream().map(List::copyOf).toList();
        }

        public boolean contains(double lon, double lat) {
            if (position(exterior, lon, lat) != Position.INSIDE) {
                return false;
            }
            if (interiors != null) {
                for (List<Point> hole : interiors) {
                    if (position(hole, lon, lat) != Position.OUTSIDE) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /** Great-circle distance in meters by the haversine formula on a sphere of {@link #EARTH_RADIUS_METERS}. */
    public static double distanceMeters(double lon1, double lat1, double lon2, double lat2) {
        double phi1 = Math.toRadians(lat1);
        double phi2 = Math.toRadians(lat2);
        double dPhi = Math.toRadians(lat2 - lat1);
        double dLambda = Math.toRadians(lon2 - lon1);
        double sinPhi = Math.sin(dPhi / 2);
        double sinLambda = Math.sin(dLambda / 2);
        double a = sinPhi * sinPhi + Math.cos(phi1) * Math.cos(phi2) * (sinLambda * sinLambda);
        return EARTH_RADIUS_METERS * (2 * Math.asin(Math.sqrt(a)));
    }

    private enum Position { INSIDE, OUTSIDE, BOUNDARY }

    /** Where (x, y) lies relative to a closed ring: even-odd crossings, exact on-edge detection. */
    private static Position position(List<Point> ring, double x, double y) {
        if (ring.isEmpty()) {
            return Position.OUTSIDE;
        }
        if (ring.size() == 1) {
            Point p = ring.get(0);
            return p.lon() == x && p.lat() == y ? Position.BOUNDARY : Position.OUTSIDE;
        }
        boolean inside = false;
        for (int i = 0; i + 1 < ring.size(); i++) {
            double x1 = ring.get(i).lon();
            double y1 = ring.get(i).lat();
            double x2 = ring.get(i + 1).lon();
            double y2 = ring.get(i + 1).lat();
            if (onSegment(x1, y1, x2, y2, x, y)) {
                return Position.BOUNDARY;
            }
            // Half-open rule on y: an edge counts when it straddles the horizontal line through the point.
            if ((y1 > y) != (y2 > y)) {
                int side = orientation(x1, y1, x2, y2, x, y);
                // The crossing is right of the point when the point is left of an upward edge, or right
                // of a downward one.
                if (y2 > y1 ? side > 0 : side < 0) {
                    inside = !inside;
                }
            }
        }
        return inside ? Position.INSIDE : Position.OUTSIDE;
    }

    private static boolean onSegment(double x1, double y1, double x2, double y2, double x, double y) {
        if (x < Math.min(x1, x2) || x > Math.max(x1, x2) || y < Math.min(y1, y2) || y > Math.max(y1, y2)) {
            return false;
        }
        return orientation(x1, y1, x2, y2, x, y) == 0;
    }

    /** Sign of the turn a → b → c: positive counter-clockwise, 0 collinear; exact. */
    static int orientation(double ax, double ay, double bx, double by, double cx, double cy) {
        double l = (bx - ax) * (cy - ay);
        double r = (by - ay) * (cx - ax);
        double det = l - r;
        double bound = 1e-14 * (Math.abs(l) + Math.abs(r));
        if (det > bound) {
            return 1;
        }
        if (det < -bound) {
            return -1;
        }
        BigDecimal exact = (bd(bx).subtract(bd(ax))).multiply(bd(cy).subtract(bd(ay)))
                .subtract((bd(by).subtract(bd(ay))).multiply(bd(cx).subtract(bd(ax))));
        return exact.signum();
    }

    private static BigDecimal bd(double v) {
        return new BigDecimal(v);
    }
}
